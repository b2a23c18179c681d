package io.stackwarden.app;

import io.stackwarden.lab.Daemon;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A wrong configuration value stops start-up with a message naming the property. */
class StartupConfigIT {

    private static void assertRefused(Map<String, String> env, String property) throws Exception {
        try (Daemon daemon = Daemon.start(env)) {
            int exit = daemon.awaitExit(Duration.ofSeconds(60));
            assertNotEquals(0, exit, daemon.output());
            assertTrue(daemon.output().contains(property), "output does not name " + property + ":\n" + daemon.output());
        }
    }

    @Test
    void badDockerHostIsRefused() throws Exception {
        assertRefused(Map.of("STACKWARDEN_DOCKER_HOST", "ftp://manager:21"), "stackwarden.docker-host");
    }

    @Test
    void unparsableDurationIsRefused() throws Exception {
        assertRefused(Map.of("STACKWARDEN_ENGINE_CALL_TIMEOUT", "banana"), "stackwarden.engine.call-timeout");
    }

    @Test
    void desiredDirThatIsAFileIsRefused() throws Exception {
        assertRefused(Map.of("STACKWARDEN_DESIRED_DIR", "pom.xml"), "stackwarden.desired-dir");
    }

    @Test
    void unreadableWebhookSecretFileIsRefused() throws Exception {
        assertRefused(Map.of("STACKWARDEN_WEBHOOKS_SECRET_FILE", "/nonexistent/webhook-secret"),
                "stackwarden.webhooks.secret-file");
    }
}
