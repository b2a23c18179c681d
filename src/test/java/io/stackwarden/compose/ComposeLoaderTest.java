package io.stackwarden.compose;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Focused behaviours of the loader, each checked against what docker/cli 28.2.2 does. */
class ComposeLoaderTest {

    @TempDir
    Path root;

    private LoadedStack load(String yaml, Map<String, String> vars) throws Exception {
        Path dir = Files.createDirectories(root.resolve("stack"));
        Path file = dir.resolve("compose.yml");
        Files.writeString(file, yaml);
        return new ComposeLoader().load(new StackInput("app", dir, root, List.of(file), vars));
    }

    private JsonNode web(String yaml) throws Exception {
        return load(yaml, Map.of()).config().get("services").get("web");
    }

    private ComposeException fails(String yaml) {
        return assertThrows(ComposeException.class, () -> load(yaml, Map.of()));
    }

    @Test
    void interpolationFormsAndStackName() throws Exception {
        JsonNode labels = load("""
                services:
                  web:
                    image: nginx
                    labels:
                      a: "${SET}"
                      b: "$SET-x"
                      c: "${UNSET:-def}"
                      d: "${EMPTY:-def}"
                      e: "${EMPTY-def}"
                      f: "$${SET}"
                      g: "${STACK_NAME}"
                      h: "${UNSET:-${SET}}"
                """, Map.of("SET", "v", "EMPTY", "")).config().at("/services/web/labels");
        assertEquals("v", labels.get("a").asText());
        assertEquals("v", labels.get("b").asText()); // unbraced form takes a modifier, like the CLI
        assertEquals("def", labels.get("c").asText());
        assertEquals("def", labels.get("d").asText());
        assertEquals("", labels.get("e").asText());
        assertEquals("${SET}", labels.get("f").asText());
        assertEquals("app", labels.get("g").asText());
        assertEquals("${SET}", labels.get("h").asText()); // defaults do not nest in the CLI
    }

    @Test
    void missingRequiredVariableNamesPathAndLine() {
        ComposeException e = fails("""
                services:
                  web:
                    image: ${IMG:?set IMG}
                """);
        assertEquals(3, e.line());
        assertTrue(e.file().endsWith("compose.yml"));
        assertEquals("invalid interpolation format for services.web.image: \"required variable IMG is missing a "
                + "value: set IMG\"; you may need to escape any $ with another $", e.reason());
    }

    @Test
    void invalidInterpolationFormat() {
        assertTrue(fails("services: {web: {image: \"${IMG\"}}").reason()
                .startsWith("invalid interpolation format for services.web.image: \"${IMG\""));
    }

    @Test
    void interpolatedValuesAreCastWhereTheSchemaWantsNumbers() throws Exception {
        JsonNode deploy = load("services: {web: {image: x, deploy: {replicas: \"${N}\"}, read_only: \"${RO}\"}}",
                Map.of("N", "3", "RO", "yes")).config().at("/services/web");
        assertEquals(3, deploy.at("/deploy/replicas").asInt());
        assertTrue(deploy.get("read_only").asBoolean());
        assertEquals("services.web.privileged must be a boolean",
                fails("services: {web: {image: x, privileged: \"true\"}}").reason());
    }

    @Test
    void goYamlScalarTyping() throws Exception {
        JsonNode env = web("""
                services:
                  web:
                    image: x
                    environment:
                      A: yes
                      B: 22:22
                      C: 0x1F
                      D: 1e6
                      E: 1.0
                      F: 2001-01-01
                      G: 1_000
                    configs: [{source: c, mode: 0440}]
                configs: {c: {file: ./c}}
                """).get("environment");
        assertEquals("yes", env.get("A").asText());
        assertEquals("22:22", env.get("B").asText());
        assertEquals("31", env.get("C").asText());
        assertEquals("1e+06", env.get("D").asText());
        assertEquals("1", env.get("E").asText());
        assertEquals("2001-01-01 00:00:00 +0000 UTC", env.get("F").asText());
        assertEquals("1000", env.get("G").asText());
        assertEquals(288, web("services: {web: {image: x, secrets: [{source: s, mode: 0440}]}}\nsecrets: {s: {file: ./s}}")
                .at("/secrets/0/mode").asInt());
    }

    @Test
    void anchorsAndMergeKeysIncludingListsOfMaps() throws Exception {
        JsonNode web = web("""
                x-base: &base
                  image: base
                  labels: {from: base}
                x-more: &more
                  image: more
                  user: someone
                services:
                  web:
                    <<: [*base, *more]
                    hostname: h
                """);
        assertEquals("base", web.get("image").asText()); // first map in the list wins
        assertEquals("someone", web.get("user").asText());
        assertEquals("base", web.at("/labels/from").asText());
        assertEquals("h", web.get("hostname").asText());
        JsonNode explicit = web("x: &a {image: a, user: u}\nservices: {web: {<<: *a, image: b}}".replace("x:", "x-a:"));
        assertEquals("b", explicit.get("image").asText()); // explicit keys beat merged ones
    }

    @Test
    void extensionFieldsAreAllowedAndDroppedLikeTheCli() throws Exception {
        LoadedStack s = load("""
                version: "3.8"
                x-top: {a: 1}
                services:
                  web: {image: x, x-svc: 1}
                networks:
                  n: {x-net: 1}
                """, Map.of());
        assertEquals(1, s.config().at("/x-top/a").asInt());
        assertFalse(s.config().at("/services/web").has("x-svc"));
        assertFalse(s.config().at("/networks/n").has("x-net"));
        // x- fields in services exist from 3.7 on only
        assertEquals("services.web Additional property x-svc is not allowed",
                fails("version: \"3.6\"\nservices: {web: {image: x, x-svc: 1}}").reason());
    }

    @Test
    void rejectedKeysNameTheKeyAndService() {
        ComposeException e = fails("services:\n  web:\n    image: x\n    foo: 1\n");
        assertEquals("services.web Additional property foo is not allowed", e.reason());
        assertEquals(4, e.line());
        assertEquals("(root) Additional property bogus is not allowed", fails("bogus: 1\nservices: {}").reason());
        assertEquals("version must be a string", fails("version: 3.8\nservices: {}").reason());
        assertEquals("unsupported Compose file version: 3.14", fails("version: \"3.14\"\nservices: {}").reason());
        assertTrue(fails("services: {web: {image: x, extends: other}}").reason()
                .startsWith("compose file contains unsupported options:\n\nextends: Support for `extends`"));
        assertEquals("invalid image reference for service web: no image specified",
                fails("services: {web: {build: .}}").reason());
    }

    @Test
    void unsupportedAndDeprecatedOptionsAreWarned() throws Exception {
        List<String> w = load("services: {web: {image: x, restart: always, build: ., container_name: c}}", Map.of())
                .warnings();
        assertEquals("Ignoring unsupported options: build, restart", w.get(0));
        assertEquals("Ignoring deprecated options:\n\ncontainer_name: Setting the container name is not supported.",
                w.get(1));
    }

    @Test
    void filesAreMergedInOrderWithTheCliRules() throws Exception {
        Path dir = Files.createDirectories(root.resolve("stack"));
        Files.writeString(dir.resolve("a.yml"), """
                services:
                  web:
                    image: a
                    environment: {FOO: "1", BAR: x}
                    ports: ["80:80", "81"]
                    cap_add: [X]
                    command: a b
                    healthcheck: {test: ["CMD", "a"], retries: 3}
                networks: {n1: {driver: overlay, labels: {a: b}}}
                """);
        Files.writeString(dir.resolve("b.yml"), """
                services:
                  web:
                    image: b
                    environment: {FOO: "2"}
                    ports: ["90:80", "82"]
                    cap_add: [Y]
                    command: c
                    healthcheck: {test: ["CMD", "b"]}
                  other: {image: c}
                networks: {n1: {labels: {c: d}}}
                """);
        JsonNode c = new ComposeLoader().load(new StackInput("app", dir, root,
                List.of(dir.resolve("a.yml"), dir.resolve("b.yml")), Map.of())).config();
        JsonNode web = c.at("/services/web");
        assertEquals("b", web.get("image").asText());
        assertEquals("2", web.at("/environment/FOO").asText());
        assertEquals("x", web.at("/environment/BAR").asText());
        assertEquals("[\"X\",\"Y\"]", web.get("cap_add").toString());
        assertEquals("[\"c\"]", web.get("command").toString());
        assertEquals("[\"CMD\",\"a\",\"CMD\",\"b\"]", web.at("/healthcheck/test").toString());
        assertEquals(3, web.at("/healthcheck/retries").asInt());
        // ports merge by published port: the two unpublished ones collapse, as with the CLI
        List<Integer> published = new ArrayList<>();
        web.get("ports").forEach(p -> published.add(p.path("published").asInt()));
        assertEquals(List.of(0, 80, 90), published);
        assertEquals(82, web.at("/ports/0/target").asInt());
        assertEquals("{\"labels\":{\"c\":\"d\"},\"ipam\":{},\"external\":false}".length(),
                c.at("/networks/n1").toString().length());
        assertFalse(c.at("/networks/n1").has("driver")); // networks are replaced whole
        assertTrue(c.at("/services").has("other"));
    }

    @Test
    void filesItReadsResolveInsideTheRootOnly() throws Exception {
        Path dir = Files.createDirectories(root.resolve("stack"));
        Files.writeString(dir.resolve("app.env"), "A=1\n");
        JsonNode web = web("services: {web: {image: x, env_file: app.env}}");
        assertEquals("1", web.at("/environment/A").asText());

        assertTrue(fails("services: {web: {image: x, env_file: ../../etc/hostname}}").reason()
                .contains("outside the desired-state root"));
        assertTrue(fails("services: {web: {image: x}}\nsecrets: {s: {file: /etc/passwd}}").reason()
                .contains("outside the desired-state root"));
        Files.createSymbolicLink(dir.resolve("link"), Path.of("/etc"));
        ComposeException e = fails("services: {web: {image: x}}\nconfigs: {c: {file: ./link/hostname}}");
        assertTrue(e.reason().contains("follows a symlink"), e.reason());
        assertEquals(2, e.line());
    }

    @Test
    void aliasBombAndOversizedFilesAreRefused() throws Exception {
        StringBuilder y = new StringBuilder("x-a: &a [1,1,1,1,1,1,1,1,1,1]\n");
        String prev = "a";
        for (int i = 0; i < 8; i++) {
            String name = "b" + i;
            y.append("x-").append(name).append(": &").append(name).append(" [");
            for (int j = 0; j < 10; j++) {
                y.append(j == 0 ? "" : ",").append('*').append(prev);
            }
            y.append("]\n");
            prev = name;
        }
        y.append("services: {}\n");
        assertTrue(fails(y.toString()).reason().contains("nodes (aliases counted each time they are used)"));
        ComposeException big = fails("services: {}\n# " + "x".repeat((int) FileKind.COMPOSE.maxBytes()) + "\n");
        assertEquals("the compose file is larger than 4 MiB", big.reason());
    }

    @Test
    void yamlErrorsCarryTheLine() {
        ComposeException e = fails("services:\n  web:\n    image: x\n   bad: [\n");
        assertTrue(e.line() >= 4, "line " + e.line());
        assertTrue(e.reason().startsWith("yaml: "));
        ComposeException dup = fails("services:\n  web: {image: x}\n  web: {image: y}\n");
        assertEquals("yaml: mapping key \"web\" already defined at line 2", dup.reason());
        assertEquals(3, dup.line());
    }

    @Test
    void envFileRulesLikeTheCli() throws Exception {
        Map<String, String> vars = EnvFile.parse(".env", "\uFEFFA=1\n  # c\nB = x\n".replace("B = x", "B= x ")
                .concat("C\nD\nE=\"q\"\n").getBytes(), k -> k.equals("C") ? java.util.Optional.of("fromenv")
                : java.util.Optional.empty());
        assertEquals(Map.of("A", "1", "B", " x ", "C", "fromenv", "E", "\"q\""), vars);
        assertThrows(ComposeException.class, () -> EnvFile.parse(".env", "A B=1\n".getBytes(),
                k -> java.util.Optional.empty()));
    }

    @Test
    void everyCorpusFileLoadsOrFailsCleanly() throws Exception {
        Path corpus = GoldenExampleTest.CORPUS;
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(corpus.resolve("docker-library-docs"))) {
            s.filter(p -> p.toString().endsWith(".compose.yaml")).forEach(files::add);
        }
        try (Stream<Path> s = Files.list(corpus.resolve("docker-cli").resolve("e2e"))) {
            s.filter(p -> p.toString().endsWith(".yml")).forEach(files::add);
        }
        assertTrue(files.size() >= 28, "corpus files: " + files.size());
        int loaded = 0;
        for (Path f : files) {
            try {
                LoadedStack s = new ComposeLoader().load(new StackInput("t", f.getParent(), corpus, List.of(f),
                        Map.of()));
                assertTrue(s.config().has("services"));
                loaded++;
            } catch (ComposeException e) {
                assertFalse(e.getMessage().isBlank());
            }
        }
        assertTrue(loaded > 0);
    }
}
