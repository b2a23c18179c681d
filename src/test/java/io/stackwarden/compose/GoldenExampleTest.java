package io.stackwarden.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docker/cli's own loader fixture: {@code full-example.yml} must load into exactly the JSON of
 * {@code full-example.json.golden}, with the environment the CLI's test uses (HOME, QUX) and its working
 * directory mapped to "/foo". The CLI's test loads with HOME "/home/foo" but its golden was written with
 * "/bar"; we load with "/bar" so both match.
 */
class GoldenExampleTest {

    static final Path CORPUS = Path.of("..", "shared", "corpus").toAbsolutePath().normalize();
    static final Path LOADER = CORPUS.resolve("docker-cli").resolve("loader");

    @Test
    void fullExampleMatchesTheCliGolden() throws Exception {
        LoadedStack stack = new ComposeLoader().load(new StackInput("full", LOADER, Path.of("/"),
                List.of(LOADER.resolve("full-example.yml")),
                Map.of("HOME", "/bar", "QUX", "qux_from_environment")));

        JsonNode actual = mapPaths(stack.config(), LOADER.toString(), "/foo");
        JsonNode expected = new ObjectMapper().readTree(LOADER.resolve("full-example.json.golden").toFile());
        // Text first, for a readable diff; then the tree itself (number types included).
        var pretty = new ObjectMapper().writerWithDefaultPrettyPrinter();
        assertEquals(pretty.writeValueAsString(sortKeys(expected)), pretty.writeValueAsString(sortKeys(actual)));
        assertEquals(expected, actual);
    }

    @Test
    void fullExampleWarnsLikeStackDeploy() throws Exception {
        LoadedStack stack = new ComposeLoader().load(new StackInput("full", LOADER, Path.of("/"),
                List.of(LOADER.resolve("full-example.yml")),
                Map.of("HOME", "/bar", "QUX", "qux_from_environment")));
        List<String> w = stack.warnings();
        assertEquals("Ignoring unsupported options: build, cgroup_parent, devices, domainname, external_links, "
                + "ipc, links, mac_address, network_mode, pid, privileged, restart, security_opt", w.get(0));
        assertTrue(w.get(1).startsWith("Ignoring deprecated options:\n\ncontainer_name: Setting the container name"
                + " is not supported.\n\nexpose: Exposing ports is unnecessary"), w.get(1));
        assertTrue(w.contains("ignoring IP-address (127.0.0.1:8001:8001/tcp) service will listen on '0.0.0.0'"));
        assertTrue(w.contains("network other-external-network: network.external.name is deprecated in favor of "
                + "network.name"));
        assertTrue(w.contains("volume other-external-volume: volume.external.name is deprecated in favor of "
                + "volume.name"));
        assertTrue(w.contains("secret secret2: secret.external.name is deprecated in favor of secret.name"));
        assertTrue(w.contains("config config2: config.external.name is deprecated in favor of config.name"));
    }

    /** Replaces the real working directory with the one the golden file was written with. */
    static JsonNode mapPaths(JsonNode v, String from, String to) {
        if (v.isTextual()) {
            String s = v.textValue();
            return s.equals(from) || s.startsWith(from + "/") ? TextNode.valueOf(to + s.substring(from.length())) : v;
        }
        if (v.isObject()) {
            ObjectNode o = ((ObjectNode) v).objectNode();
            v.fields().forEachRemaining(e -> o.set(e.getKey(), mapPaths(e.getValue(), from, to)));
            return o;
        }
        if (v.isArray()) {
            ArrayNode a = ((ArrayNode) v).arrayNode();
            v.forEach(x -> a.add(mapPaths(x, from, to)));
            return a;
        }
        return v;
    }

    static JsonNode sortKeys(JsonNode v) {
        if (v.isObject()) {
            ObjectNode o = ((ObjectNode) v).objectNode();
            GoValues.sorted(v).forEach(e -> o.set(e.getKey(), sortKeys(e.getValue())));
            return o;
        }
        if (v.isArray()) {
            ArrayNode a = ((ArrayNode) v).arrayNode();
            v.forEach(x -> a.add(sortKeys(x)));
            return a;
        }
        return v;
    }
}
