package io.stackwarden.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackwarden.lab.Daemon;
import io.stackwarden.lab.HaLab;
import io.stackwarden.lab.Lab;
import io.stackwarden.support.Await;
import io.stackwarden.swarm.EngineApi;
import io.stackwarden.swarm.EngineException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Quorum lost for real: on a lab of three managers ({@code scripts/lab/ha-lab.sh}, purged after), the engines of two
 * of them stop under a daemon that follows the third. The loss is reported (the cluster view, readiness, the metric),
 * a change of the stack's files is not written while it lasts and the stack's status says why, and once the managers
 * are back the change is applied. The daemon runs alone ({@code leader.enabled=false}): its lease is a swarm object
 * too, and a leader that cannot renew it stands down, so only a lone daemon shows the quorum gate by itself.
 */
class QuorumIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RUN = Long.toString(Math.abs(new Random().nextLong()) % 46656, 36);
    private static final String TOKEN = "quorum-it";
    private static final Duration WAIT = Duration.ofMinutes(3);
    private static final Map<String, String> HA = new HashMap<>();
    private static Path work;

    @BeforeAll
    static void up() throws IOException {
        HA.putAll(HaLab.up());
        work = Files.createTempDirectory("stackwarden-quorum");
    }

    @AfterAll
    static void down() throws IOException {
        try {
            if (!HA.isEmpty()) {
                HaLab.down();
            }
        } finally {
            if (work != null) {
                try (Stream<Path> files = Files.walk(work)) {
                    files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                }
            }
        }
    }

    @Test
    void withTwoOfThreeManagersStoppedNothingIsWrittenAndTheLossIsReportedUntilTheyAreBack() throws Exception {
        String stack = "q" + RUN;
        Path desired = Files.createDirectories(work.resolve("desired"));
        Files.writeString(desired.resolve("stackwarden.yaml"), "defaults: {resolveImage: never}\n");
        Path file = Files.createDirectories(desired.resolve(stack)).resolve("compose.yaml");
        Files.writeString(file, compose("1"));
        try (Daemon daemon = Daemon.startReady(Map.of(
                "DOCKER_HOST", HA.get("DOCKER_HOST"),
                "LAB_REGISTRY", HA.get("LAB_REGISTRY"),
                "STACKWARDEN_LEADER_ENABLED", "false",
                "STACKWARDEN_DESIRED_DIR", desired.toString(),
                "STACKWARDEN_SOURCE_SCAN_INTERVAL", "1s",
                "STACKWARDEN_ENGINE_PROBE_INTERVAL", "1s",
                "STACKWARDEN_RECONCILE_RETRY_MAX", "5s",
                "STACKWARDEN_API_TOKEN_FILE", Files.writeString(work.resolve("token"), TOKEN).toString()));
             EngineApi m1 = new EngineApi(HA.get("DOCKER_HOST"), Duration.ofSeconds(10), JSON)) {
            Await.until("the stack synced", WAIT, () -> sync(daemon, stack).equals("Synced")
                    && env(m1, stack).orElse("").contains("V=1"), daemon::output);
            assertEquals("HELD", cluster(daemon).path("quorum").asText());

            try {
                lab("node-stop", "m2");
                lab("node-stop", "m3");
                Await.until("the loss reported", WAIT, () -> cluster(daemon).path("quorum").asText().equals("LOST"),
                        daemon::output);
                JsonNode cluster = cluster(daemon);
                assertTrue(StreamSupport.stream(cluster.path("findings").spliterator(), false).anyMatch(f ->
                        f.path("kind").asText().equals("QUORUM_LOST") && f.path("message").asText().startsWith("quorum lost")),
                        cluster.toString());
                Daemon.Reply ready = daemon.get("/q/health/ready");
                assertEquals(503, ready.status(), ready.toString());
                assertTrue(StreamSupport.stream(JSON.readTree(ready.body()).path("checks").spliterator(), false).anyMatch(c ->
                        c.path("name").asText().equals("swarm-quorum") && c.path("status").asText().equals("DOWN")), ready.body());
                assertTrue(daemon.get("/q/metrics").body().lines().anyMatch(l -> l.equals("stackwarden_cluster_quorum 0.0")),
                        "the metric says lost");

                Files.writeString(file, compose("2"));
                Await.until("the pass held", WAIT, () -> status(daemon, stack).path("message").asText()
                        .startsWith("no write: quorum lost"), daemon::output);
                JsonNode held = status(daemon, stack);
                assertEquals(0, held.path("lastOperation").path("writes").size(), held.toString());
                // m1 alone has no raft leader: it may refuse even reads; if it answers, the service is unchanged.
                Optional<String> during = env(m1, stack);
                during.ifPresent(env -> assertTrue(env.contains("V=1") && !env.contains("V=2"), env));
                System.out.printf("quorum lost: %s; m1 %s%n", held.path("message").asText(),
                        during.map(env -> "reads the service: " + env).orElse("refuses reads"));
            } finally {
                try {
                    lab("node-start", "m2");
                } finally {
                    lab("node-start", "m3");
                }
            }

            Await.until("quorum back", WAIT, () -> cluster(daemon).path("quorum").asText().equals("HELD"), daemon::output);
            Await.until("the change applied once quorum is back", WAIT, () -> sync(daemon, stack).equals("Synced")
                    && env(m1, stack).orElse("").contains("V=2"), daemon::output);
            JsonNode applied = status(daemon, stack);
            assertFalse(applied.path("message").asText().contains("quorum lost"), applied.toString());
            assertTrue(daemon.get("/q/metrics").body().lines().anyMatch(l -> l.equals("stackwarden_cluster_quorum 1.0")),
                    "the metric says held");
        }
    }

    private static String compose(String value) {
        return "services:\n  app:\n    image: ${LAB_REGISTRY}/stackwarden-lab/sleep:1\n    deploy: {replicas: 1}\n"
                + "    environment: {V: \"" + value + "\"}\n";
    }

    /** The service's environment as m1's engine reads it; empty while that engine refuses. */
    private static Optional<String> env(EngineApi m1, String stack) {
        try {
            return Optional.of(m1.get("/services/" + stack + "_app").at("/Spec/TaskTemplate/ContainerSpec/Env").toString());
        } catch (EngineException e) {
            return Optional.empty();
        }
    }

    private static JsonNode cluster(Daemon daemon) {
        return api(daemon, "/api/v1/cluster").path("cluster");
    }

    private static JsonNode status(Daemon daemon, String stack) {
        return api(daemon, "/api/v1/stacks/" + stack);
    }

    private static String sync(Daemon daemon, String stack) {
        return status(daemon, stack).path("sync").asText();
    }

    private static JsonNode api(Daemon daemon, String path) {
        try {
            return JSON.readTree(daemon.get(path, Map.of("Authorization", "Bearer " + TOKEN)).body());
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    /** {@code lab.sh args...} on the lab of three managers. */
    private static String lab(String... args) {
        return Lab.labWith(HA, args);
    }
}
