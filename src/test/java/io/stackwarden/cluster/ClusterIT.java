package io.stackwarden.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackwarden.lab.Daemon;
import io.stackwarden.lab.Lab;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cluster view of the lab swarm (one manager, workers), read by a running Stackwarden: managers, quorum,
 * leader and nodes as the manager reports them, and a worker whose engine stops reported down, then ready again.
 */
class ClusterIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Daemon daemon;
    private static Path work;

    @BeforeAll
    static void startDaemon() throws Exception {
        work = Files.createTempDirectory("stackwarden-cluster");
        daemon = Daemon.startReady(Map.of(
                "DOCKER_HOST", Lab.dockerHost(),
                "STACKWARDEN_DESIRED_DIR", Files.createDirectories(work.resolve("desired")).toString(),
                "STACKWARDEN_ENGINE_PROBE_INTERVAL", "1s"));
    }

    @AfterAll
    static void stopDaemon() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
        if (work != null) {
            Files.walk(work).sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    private static JsonNode cluster() {
        try {
            return JSON.readTree(daemon.get("/api/v1/cluster").body()).path("cluster");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static boolean reported(JsonNode cluster, String kind, String node) {
        return StreamSupport.stream(cluster.path("findings").spliterator(), false)
                .anyMatch(f -> f.path("kind").asText().equals(kind) && f.path("node").asText().equals(node));
    }

    @Test
    void theLabsControlPlaneAsTheManagerReportsIt() {
        JsonNode cluster = cluster();
        assertEquals("HELD", cluster.path("quorum").asText(), cluster.toString());
        assertEquals(1, cluster.path("managers").asInt());
        assertEquals(1, cluster.path("managersReachable").asInt());
        assertEquals(Lab.docker("info", "--format", "{{.Name}}").trim(), cluster.path("leader").asText());
        assertTrue(cluster.path("nodes").size() >= 3, cluster.toString());
        assertTrue(reported(cluster, "SINGLE_MANAGER", ""), "the talk's advice: run 3 managers: " + cluster);
    }

    @Test
    void aWorkerWhoseEngineStopsIsReportedDownThenReadyAgain() throws Exception {
        String hostname = Lab.lab("docker", "w2", "info", "--format", "{{.Name}}").trim(); // the lab's name prefix varies
        Lab.lab("node-stop", "w2");
        try {
            daemon.await("/api/v1/cluster", r -> r.body().contains("\"kind\":\"NODE_DOWN\",\"node\":\"" + hostname + "\""),
                    Duration.ofSeconds(120));
            String metrics = daemon.get("/q/metrics").body();
            assertTrue(metrics.lines().anyMatch(l -> l.startsWith("stackwarden_cluster_nodes_down ") && !l.endsWith(" 0.0")),
                    "the metric counts it");
            assertEquals("HELD", cluster().path("quorum").asText(), "a worker has no vote");
        } finally {
            Lab.lab("node-start", "w2");
        }
        daemon.await("/api/v1/cluster", r -> !r.body().contains("\"node\":\"" + hostname + "\""), Duration.ofSeconds(120));
        Lab.awaitNodesReady();
    }
}
