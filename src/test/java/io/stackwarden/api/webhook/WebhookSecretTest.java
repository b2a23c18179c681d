package io.stackwarden.api.webhook;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WebhookSecretTest {

    @TempDir
    Path dir;

    @Test
    void noFileMeansNoSecret() throws IOException {
        assertEquals(Optional.empty(), WebhookSecret.read(Optional.empty()));
    }

    @Test
    void theFileIsReadEachTimeSoARotatedSecretTakesEffectAndItsTrailingNewlineIsNotPartOfIt() throws IOException {
        Path file = Files.writeString(dir.resolve("secret"), "first\n");
        assertArrayEquals("first".getBytes(StandardCharsets.UTF_8), WebhookSecret.read(Optional.of(file)).orElseThrow());
        Files.writeString(file, "second\n");
        assertArrayEquals("second".getBytes(StandardCharsets.UTF_8), WebhookSecret.read(Optional.of(file)).orElseThrow());
    }

    @Test
    void anEmptyOrMissingFileRefusesRatherThanAcceptingUnsigned() throws IOException {
        Path empty = Files.writeString(dir.resolve("empty"), " \n");
        assertThrows(IOException.class, () -> WebhookSecret.read(Optional.of(empty)));
        assertThrows(IOException.class, () -> WebhookSecret.read(Optional.of(dir.resolve("gone"))));
    }
}
