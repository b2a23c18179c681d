package io.stackwarden.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The credentials file: read at start, read again when it changes, the last good one kept when it breaks. */
class RegistryCredentialsTest {

    @TempDir
    Path dir;

    /** Credentials from a file written for the test. */
    static RegistryCredentials inMemory(Map<String, RegistryAuth> auths) {
        try {
            Path file = Files.createTempFile("auths", ".json");
            file.toFile().deleteOnExit();
            StringBuilder json = new StringBuilder("{\"auths\": {");
            String sep = "";
            for (RegistryAuth auth : auths.values()) {
                json.append(sep).append('"').append(auth.serverAddress()).append("\": {\"username\": \"")
                        .append(auth.username()).append("\", \"password\": \"").append(auth.password()).append("\"}");
                sep = ", ";
            }
            Files.writeString(file, json.append("}}").toString());
            return RegistryCredentials.from(file);
        } catch (IOException | RegistryConfigException e) {
            throw new IllegalStateException(e);
        }
    }

    private Path write(Path file, String user, long modified) throws IOException {
        String auth = Base64.getEncoder().encodeToString((user + ":pw").getBytes(StandardCharsets.UTF_8));
        Files.writeString(file, "{\"auths\": {\"r.example.test:5001\": {\"auth\": \"" + auth + "\"}}}");
        Files.setLastModifiedTime(file, FileTime.fromMillis(modified));
        return file;
    }

    @Test
    void aChangedFileIsReadAgainAndABrokenOneKeepsTheLastGood() throws Exception {
        Path file = write(dir.resolve("config.json"), "alice", 1_000_000);
        RegistryCredentials credentials = RegistryCredentials.from(file);
        assertEquals(Optional.of("alice"), credentials.forImage("r.example.test:5001/app:1").map(RegistryAuth::username));
        long generation = credentials.generation();

        write(file, "bob", 2_000_000);
        assertEquals(Optional.of("bob"), credentials.forImage("r.example.test:5001/app:1").map(RegistryAuth::username));
        assertTrue(credentials.generation() > generation);

        Files.writeString(file, "{\"auths\": ");
        Files.setLastModifiedTime(file, FileTime.fromMillis(3_000_000));
        assertEquals(Optional.of("bob"), credentials.forImage("r.example.test:5001/app:1").map(RegistryAuth::username));
        Files.delete(file);
        assertEquals(Optional.of("bob"), credentials.forImage("r.example.test:5001/app:1").map(RegistryAuth::username));

        write(file, "carol", 4_000_000);
        assertEquals(Optional.of("carol"), credentials.forImage("r.example.test:5001/app:1").map(RegistryAuth::username));
    }

    @Test
    void aFileThatCannotBeUsedIsRefusedAtStartWithoutItsContent() throws Exception {
        Path file = dir.resolve("config.json");
        Files.writeString(file, "{\"auths\": {\"r.test\": {\"auth\": \"not-base64-hunter2!\"}}}");
        RegistryConfigException e = assertThrows(RegistryConfigException.class, () -> RegistryCredentials.check(file));
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        assertThrows(RegistryConfigException.class, () -> RegistryCredentials.check(dir.resolve("missing.json")));
        assertThrows(RegistryConfigException.class, () -> RegistryCredentials.check(dir));
        assertEquals(Optional.empty(), RegistryCredentials.none().forImage("r.test/app"));
    }
}
