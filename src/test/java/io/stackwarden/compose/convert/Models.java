package io.stackwarden.compose.convert;

import io.stackwarden.compose.engine.StackObjects;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/** Test models: the CLI's golden loader output (read in place from the shared corpus) and small JSON ones. */
final class Models {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final Path GOLDEN = Path.of("..", "shared", "corpus", "docker-cli", "loader", "full-example.json.golden");

    /** The files the golden model's secrets and configs point at. */
    static final ContentReader GOLDEN_FILES = files(Map.of(
            "/foo/secret_data", "s3cret",
            "/foo/config_data", "config-data",
            "/foo", "foo-content"));

    private Models() {
    }

    static ObjectNode golden() {
        try {
            return (ObjectNode) MAPPER.readTree(GOLDEN.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The golden model plus the two declarations it lacks (it is a loader fixture, not deployable):
     * the volume "datavolume" and the network "other-other-network" that service foo references.
     */
    static ObjectNode deployableGolden() {
        ObjectNode model = golden();
        ((ObjectNode) model.get("volumes")).putObject("datavolume");
        ((ObjectNode) model.get("networks")).putObject("other-other-network");
        return model;
    }

    /** JSON with single quotes, so test models stay readable in Java strings. */
    static ObjectNode json(String singleQuoted) {
        try {
            return (ObjectNode) MAPPER.readTree(singleQuoted.replace('\'', '"'));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ContentReader files(Map<String, String> contents) {
        return path -> {
            String content = contents.get(path);
            if (content == null) {
                throw new NoSuchFileException(path);
            }
            return content.getBytes(StandardCharsets.UTF_8);
        };
    }

    static final ContentReader NO_FILES = files(Map.of());

    static StackObjects convert(String namespace, JsonNode model) {
        return StackConverter.convert(namespace, model, NO_FILES);
    }

    static JsonNode service(StackObjects objects, String key) {
        return objects.services().stream().filter(s -> s.key().equals(key)).findFirst()
                .orElseThrow(() -> new AssertionError("no service " + key)).spec();
    }

    /** Re-read through text so numbers compare by value (LongNode 5 vs IntNode 5, float 0.3 vs double 0.3). */
    static JsonNode normalized(JsonNode node) {
        try {
            return MAPPER.readTree(MAPPER.writeValueAsString(node));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void assertJson(String expectedSingleQuoted, JsonNode actual) {
        org.junit.jupiter.api.Assertions.assertEquals(json("{'v':" + expectedSingleQuoted + "}").get("v"),
                normalized(actual));
    }
}
