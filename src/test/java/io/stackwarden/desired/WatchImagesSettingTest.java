package io.stackwarden.desired;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code watchImages} in {@code stackwarden.yaml}: off unless a stack (or the defaults) says how often. */
class WatchImagesSettingTest {

    @Test
    void offByDefaultADurationPerStackOrInTheDefaultsAndFalseTurnsItOff() {
        WorkspaceSettings settings = WorkspaceSettings.from(Map.of(
                "defaults", Map.of("watchImages", "1h30m"),
                "stacks", Map.of("web", Map.of("watchImages", "30s"), "db", Map.of("watchImages", false),
                        "api", Map.of("prune", true))));
        assertEquals(Optional.of(Duration.ofSeconds(30)), settings.forStack("web").watchImages());
        assertEquals(Optional.empty(), settings.forStack("db").watchImages());
        assertEquals(Optional.of(Duration.ofMinutes(90)), settings.forStack("api").watchImages());
        assertEquals(Optional.empty(), WorkspaceSettings.from(null).forStack("web").watchImages());
    }

    @Test
    void anythingElseIsAnErrorNamingTheKey() {
        for (Object bad : List.of(true, "5", "0s", "soon", 300, "")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> WorkspaceSettings.from(Map.of("stacks", Map.of("web", Map.of("watchImages", bad)))), bad.toString());
            assertTrue(e.getMessage().startsWith("stacks.web.watchImages must be"), e.getMessage());
        }
    }
}
