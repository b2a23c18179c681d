package io.stackwarden.compose;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A service's {@code x-stackwarden} key: read for Stackwarden, invisible to the converted spec, refused when wrong. */
class ServiceExtensionTest {

    private static final String PLAIN = """
            services:
              web:
                image: nginx:1
              db:
                image: postgres:16
            """;

    @TempDir
    Path root;

    private StackCompiler.Compiled compile(String... files) throws Exception {
        Path dir = Files.createDirectories(root.resolve("app"));
        List<Path> paths = new ArrayList<>();
        for (int i = 0; i < files.length; i++) {
            paths.add(Files.writeString(dir.resolve("compose" + i + ".yaml"), files[i]));
        }
        return new StackCompiler().compile(new StackInput("app", dir, root, paths, Map.of()));
    }

    @Test
    void theKeyIsReadAndLeavesTheServiceSpecAsItWas() throws Exception {
        StackCompiler.Compiled marked = compile("""
                services:
                  web:
                    image: nginx:1
                    x-stackwarden: {rebalance: true}
                  db:
                    image: postgres:16
                    x-stackwarden:
                      rebalance: false
                """);
        assertEquals(Map.of("web", new ServiceExtension(Optional.of(true)), "db", new ServiceExtension(Optional.of(false))),
                marked.extensions());
        assertEquals(compile(PLAIN).objects(), marked.objects(), "the spec does not change with the key");
        assertEquals(Map.of(), compile(PLAIN).extensions());
    }

    @Test
    void aLaterFileOverridesTheKeyAsItDoesOtherKeys() throws Exception {
        StackCompiler.Compiled merged = compile(PLAIN.replace("image: nginx:1", "image: nginx:1\n    x-stackwarden: {rebalance: true}"),
                """
                services:
                  web:
                    x-stackwarden: {rebalance: false}
                  db:
                    x-stackwarden: {}
                """);
        assertEquals(Map.of("web", new ServiceExtension(Optional.of(false)), "db", ServiceExtension.NONE), merged.extensions());
    }

    @Test
    void aWrongValueOrAnUnknownKeyIsRefusedWithItsLine() {
        ComposeException unknown = assertThrows(ComposeException.class, () -> compile("""
                services:
                  web:
                    image: nginx:1
                    x-stackwarden: {rebalanse: true}
                """));
        assertEquals("services.web.x-stackwarden: unknown key \"rebalanse\" (allowed: [rebalance])", unknown.reason());
        assertEquals(4, unknown.line());
        ComposeException value = assertThrows(ComposeException.class, () -> compile("""
                services:
                  web:
                    image: nginx:1
                    x-stackwarden: {rebalance: "yes"}
                """));
        assertEquals("services.web.x-stackwarden.rebalance must be true or false", value.reason());
        assertThrows(ComposeException.class, () -> compile("""
                services:
                  web:
                    image: nginx:1
                    x-stackwarden: true
                """));
    }
}
