package io.stackwarden.app;

import io.stackwarden.lab.Daemon;
import io.stackwarden.lab.Lab;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Readiness follows the real manager engine of the lab: stop it, start it again. */
class EngineReadinessIT {

    private boolean managerStopped;

    @AfterEach
    void restartManager() {
        if (managerStopped) {
            Lab.lab("node-start", "m1");
        }
        Lab.awaitNodesReady();
    }

    @Test
    void readinessFollowsTheManagerEngineAndTheDaemonSurvivesItsDeath() throws Exception {
        try (Daemon daemon = Daemon.start(Map.of(
                "DOCKER_HOST", Lab.dockerHost(),
                "STACKWARDEN_DESIRED_DIR", Path.of("examples").toAbsolutePath().toString(),
                "STACKWARDEN_ENGINE_PROBE_INTERVAL", "1s",
                "STACKWARDEN_ENGINE_RETRY_INITIAL", "500ms",
                "STACKWARDEN_ENGINE_RETRY_MAX", "2s",
                "STACKWARDEN_ENGINE_CALL_TIMEOUT", "3s"))) {

            Daemon.Reply ready = daemon.await("/q/health/ready", r -> r.status() == 200, Duration.ofSeconds(60));
            assertTrue(ready.body().contains("\"swarmState\": \"active\"") || ready.body().contains("\"swarmState\":\"active\""),
                    ready.body());
            assertTrue(daemon.get("/q/metrics").body().contains("stackwarden_engine_ready 1.0"));

            managerStopped = true;
            Lab.lab("node-stop", "m1");
            // The event stream may notice first; wait for the engine check itself to say why.
            Daemon.Reply down = daemon.await("/q/health/ready",
                    r -> r.status() == 503 && r.body().contains("engine did not answer"), Duration.ofSeconds(30));
            assertTrue(down.body().contains("engine did not answer"), down.body());
            assertTrue(daemon.alive());
            assertEquals(200, daemon.get("/q/health/live").status());
            assertTrue(daemon.get("/q/metrics").body().contains("stackwarden_engine_ready 0.0"));

            Lab.lab("node-start", "m1");
            managerStopped = false;
            daemon.await("/q/health/ready", r -> r.status() == 200, Duration.ofSeconds(60));
            assertTrue(daemon.alive());
        }
    }
}
