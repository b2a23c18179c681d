package io.stackwarden.compose;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bind-mount sources are node paths: written as docker/cli 28.2.2's loader writes them (absolute ones as
 * given, relative ones joined to the stack folder and cleaned), never held to the desired-state root, and
 * refused only by an operator's {@link BindPolicy}.
 */
class BindMountsTest {

    @TempDir
    Path root;

    private JsonNode volumes(String volumes, Map<String, String> vars, BindPolicy policy) throws Exception {
        Path dir = Files.createDirectories(root.resolve("app"));
        Path file = dir.resolve("compose.yml");
        Files.writeString(file, "services:\n  web:\n    image: x\n    volumes:\n" + volumes);
        return new ComposeLoader().load(new StackInput("app", dir, root, List.of(file), vars, policy))
                .config().at("/services/web/volumes");
    }

    private String source(String entry) throws Exception {
        return volumes("      - " + entry + "\n", Map.of("HOME", "/home/ops"), BindPolicy.ANY).at("/0/source").asText();
    }

    @Test
    void absoluteSourcesArePassedOnExactlyAsWritten() throws Exception {
        assertEquals("/var/run/docker.sock", source("/var/run/docker.sock:/var/run/docker.sock"));
        assertEquals("/", source("/:/rootfs:ro"));
        assertEquals("/var/lib/docker/", source("/var/lib/docker/:/var/lib/docker:ro"));
        assertEquals("/srv/../etc//x", source("/srv/../etc//x:/x"));
        JsonNode mount = volumes("      - /sys:/sys:ro\n", Map.of(), BindPolicy.ANY).get(0);
        assertEquals("bind", mount.path("type").asText());
        assertTrue(mount.path("read_only").asBoolean());
    }

    @Test
    void relativeSourcesAreJoinedToTheStackFolderAndCleaned() throws Exception {
        String stack = root.toAbsolutePath().normalize().resolve("app").toString();
        assertEquals(stack + "/data", source("./data:/d"));
        assertEquals(stack + "/data", source("./data/:/d"));
        assertEquals(stack + "/a/c", source("./a/./b/../c:/d"));
        // A relative source may leave the stack folder: it is a path on the node, not a file read here.
        assertEquals(root.toAbsolutePath().normalize().getParent().resolve("etc").toString(), source("../../etc:/d"));
    }

    @Test
    void tildeExpandsToHomeThenFollowsTheSameRules() throws Exception {
        assertEquals("/home/ops/data", source("~/data:/d"));
        assertEquals("/home/ops/", source("~/:/d"));
        // Without HOME the CLI warns and keeps the text, which is then a relative path.
        JsonNode mount = volumes("      - type: bind\n        source: ~/x\n        target: /d\n", Map.of(), BindPolicy.ANY).get(0);
        assertEquals(root.toAbsolutePath().normalize().resolve("app/~/x").toString(), mount.path("source").asText());
    }

    @Test
    void longSyntaxKeepsBindOptions() throws Exception {
        JsonNode mount = volumes("""
                      - type: bind
                        source: /var/log/
                        target: /logs
                        read_only: true
                        bind: {propagation: rslave}
                """, Map.of(), BindPolicy.ANY).get(0);
        assertEquals("/var/log/", mount.path("source").asText());
        assertEquals("rslave", mount.at("/bind/propagation").asText());
        assertTrue(mount.path("read_only").asBoolean());
    }

    @Test
    void windowsAbsoluteSourcesStayAsWritten() {
        assertEquals("C:\\data", BindSource.resolve("C:\\data", "/stack"));
        assertEquals("c:/data", BindSource.resolve("c:/data", "/stack"));
        assertEquals("\\\\host\\share\\x", BindSource.resolve("\\\\host\\share\\x", "/stack"));
        assertEquals("/stack/C:data", BindSource.resolve("C:data", "/stack"));
    }

    @Test
    void cleanFoldsLikeGo() {
        assertEquals("/", BindSource.clean("/.."));
        assertEquals("/b", BindSource.clean("/a/../../b"));
        assertEquals("../x", BindSource.clean("a/../../x"));
        assertEquals(".", BindSource.clean("a/.."));
        assertEquals("/a/b", BindSource.clean("//a//b/"));
    }

    @Test
    void policyAllowsListedPathsAndWhatLiesBelowThem() throws Exception {
        BindPolicy policy = BindPolicy.only(List.of("/var/run/docker.sock", "/srv/data/"));
        assertEquals("/srv/data/app", volumes("      - /srv/data/app:/d\n", Map.of(), policy).at("/0/source").asText());
        assertEquals("/var/run/docker.sock",
                volumes("      - /var/run/docker.sock:/s\n", Map.of(), policy).at("/0/source").asText());
        assertFalse(policy.permits("/srv/database"));
        assertFalse(policy.permits("/srv/data/../../etc"));
        assertFalse(policy.permits("/var/run/docker.sock.d/x/../../../../etc"));
        // Named volumes and tmpfs are not binds: the policy does not look at them.
        volumes("      - data:/d\n", Map.of(), BindPolicy.only(List.of())).size();
    }

    @Test
    void refusedSourceNamesStackServiceSourceAndLine() throws Exception {
        ComposeException e = assertThrows(ComposeException.class, () -> volumes(
                "      - /srv/data:/d\n      - /etc:/host-etc:ro\n", Map.of(), BindPolicy.only(List.of("/srv"))));
        assertEquals("stack app, service web: bind mount source \"/etc\" is not allowed by bindSources in "
                + "stackwarden.yaml (allowed: /srv)", e.reason());
        assertEquals(6, e.line());
        ComposeException none = assertThrows(ComposeException.class, () -> volumes(
                "      - ./data:/d\n", Map.of(), BindPolicy.only(List.of())));
        assertTrue(none.reason().contains("no bind mounts allowed"), none.reason());
    }
}
