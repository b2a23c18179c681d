package io.stackwarden.remedy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackwarden.lab.Daemon;
import io.stackwarden.lab.Lab;
import io.stackwarden.support.Await;
import io.stackwarden.support.TestFiles;
import io.stackwarden.swarm.EngineApi;
import io.stackwarden.swarm.HttpSwarmEngine;
import io.stackwarden.swarm.SwarmObject;
import io.stackwarden.swarm.TaskInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rebalance and the completion of global services, end to end on the lab: the packaged daemon follows the
 * engine's node events, and the swarm's own answer (tasks per node, the force-update counter) says what happened.
 * Worker w2 leaves and returns ({@code lab.sh node-stop}/{@code node-start}); the image of the global service is
 * made missing on w2 alone by tagging it on the other nodes only (nothing else in the lab differs per node: the
 * nodes share one file system and one registry).
 */
class RemediesIT {

    private static final String RUN = Long.toString(Math.abs(new Random().nextLong()) % 46656, 36);
    private static final Duration BOUND = Duration.ofMinutes(3);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path work;
    private static Path desired;
    private static Daemon daemon;
    private static EngineApi api;
    private static HttpSwarmEngine engine;
    private static String w2Id;
    private static String w2Name;
    private static List<String> nodeIds;

    private final List<String> stacks = new ArrayList<>();
    private final List<String> localTags = new ArrayList<>();
    private boolean w2Stopped;

    @BeforeAll
    static void startDaemon() throws Exception {
        api = new EngineApi(Lab.dockerHost(), Duration.ofSeconds(10), new ObjectMapper());
        engine = new HttpSwarmEngine(api);
        w2Id = Lab.lab("docker", "w2", "info", "--format", "{{.Swarm.NodeID}}").trim();
        w2Name = Lab.lab("docker", "w2", "info", "--format", "{{.Name}}").trim();
        nodeIds = Stream.of("m1", "w1", "w2").map(node -> Lab.lab("docker", node, "info", "--format", "{{.Swarm.NodeID}}").trim())
                .toList();
        work = Files.createTempDirectory("stackwarden-remedies");
        desired = Files.createDirectories(work.resolve("desired"));
        // prune off: stacks are removed by the CLI below; resolveImage never: the global service's image is local only.
        Files.writeString(desired.resolve("stackwarden.yaml"), """
                defaults: {resolveImage: never, prune: false}
                stacks:
                  rebal%s: {rebalance: true}
                """.formatted(RUN));
        daemon = Daemon.startReady(Map.of(
                "DOCKER_HOST", Lab.dockerHost(),
                "LAB_REGISTRY", Lab.registry(),
                "STACKWARDEN_DESIRED_DIR", desired.toString(),
                "STACKWARDEN_SOURCE_SCAN_INTERVAL", "1s",
                "STACKWARDEN_ENGINE_PROBE_INTERVAL", "2s",
                "STACKWARDEN_RECONCILE_CONVERGE_DELAY", "1s",
                "STACKWARDEN_REMEDIES_GLOBAL_COMPLETE_BACKOFF", "20s"));
    }

    @AfterAll
    static void stopDaemon() throws Exception {
        if (daemon != null) {
            daemon.closeKeepingLog("RemediesIT");
        }
        if (api != null) {
            api.close();
        }
        if (work != null) {
            TestFiles.deleteTree(work);
        }
    }

    @AfterEach
    void cleanUp() throws IOException {
        if (w2Stopped) {
            Lab.lab("node-start", "w2");
        }
        Lab.awaitNodesReady();
        for (String stack : stacks) {
            TestFiles.deleteTree(desired.resolve(stack));
            try {
                Lab.docker("stack", "rm", stack);
            } catch (IllegalStateException e) {
                // not deployed: nothing to remove
            }
        }
        for (String tag : localTags) {
            for (String node : List.of("m1", "w1", "w2")) {
                try {
                    Lab.lab("docker", node, "image", "rm", "--force", tag);
                } catch (IllegalStateException e) {
                    // not tagged on that node
                }
            }
        }
    }

    @Test
    void aReturningNodeGetsItsShareOfTheOptedInServiceWhileTheOptedOutOneStays() throws Exception {
        String stack = deploy("rebal", """
                services:
                  spread:
                    image: ${LAB_REGISTRY}/stackwarden-lab/sleep:1
                    stop_grace_period: 1s
                    deploy: {replicas: 4}
                  stay:
                    image: ${LAB_REGISTRY}/stackwarden-lab/sleep:1
                    stop_grace_period: 1s
                    deploy: {replicas: 4}
                    x-stackwarden: {rebalance: false}
                """);
        String spread = stack + "_spread";
        String stay = stack + "_stay";
        awaitRunning(spread, 4);
        awaitRunning(stay, 4);

        w2Stopped = true;
        Lab.lab("node-stop", "w2");
        Await.until("both services run 4 tasks, none on w2", BOUND, () -> onW2(spread) == 0 && onW2(stay) == 0
                && running(spread).size() == 4 && running(stay).size() == 4, daemon::output);
        Set<String> stayTasks = running(stay).stream().map(TaskInfo::id).collect(Collectors.toSet());
        assertEquals(0, forceUpdate(spread), "no return, no rebalance");

        Lab.lab("node-start", "w2");
        w2Stopped = false;
        Await.until("the opted-in service runs on w2 again, spread evenly", BOUND, () -> onW2(spread) >= 1
                && running(spread).size() == 4 && even(spread) && updateState(spread).equals("completed"), daemon::output);
        assertEquals(1, forceUpdate(spread), "one forced update did it");
        JsonNode remedy = remedies(stack, spread).get(0);
        assertEquals("rebalance", remedy.path("remedy").asText());
        assertEquals("rebalanced", remedy.path("state").asText());
        assertTrue(remedy.path("detail").asText().startsWith("node " + w2Name + " returned; tasks per node were "),
                remedy.toString());
        assertTrue(metric("stackwarden_remedies_total{outcome=\"applied\",remedy=\"rebalance\"}") >= 1);

        assertEquals(0, onW2(stay), "the opted-out service stays where it is");
        assertEquals(stayTasks, running(stay).stream().map(TaskInfo::id).collect(Collectors.toSet()), "its tasks untouched");
        assertEquals(0, forceUpdate(stay));
        assertEquals(List.of(), remedies(stack, stay));
    }

    @Test
    void aGlobalTaskSwarmGaveUpOnIsReportedThenRunsOnItsNodeAfterTheRetryOnceItsImageIsThere() throws Exception {
        String image = "stackwarden-it/only-here:" + RUN;
        localTags.add(image);
        for (String node : List.of("m1", "w1")) {
            Lab.lab("docker", node, "pull", "-q", Lab.registry() + "/stackwarden-lab/sleep:1");
            Lab.lab("docker", node, "tag", Lab.registry() + "/stackwarden-lab/sleep:1", image);
        }
        String stack = deploy("glob", """
                services:
                  agent:
                    image: %s
                    stop_grace_period: 1s
                    deploy:
                      mode: global
                      restart_policy: {condition: on-failure, max_attempts: 1}
                """.formatted(image));
        String agent = stack + "_agent";

        JsonNode[] reported = {null};
        Await.until("the daemon reports w2 without a task and a retry due", BOUND, () -> {
            List<JsonNode> remedies = remedies(stack, agent);
            reported[0] = remedies.isEmpty() ? null : remedies.get(0);
            return reported[0] != null && reported[0].path("detail").asText().contains("retry 1/3 in");
        }, daemon::output);
        assertEquals("global-complete", reported[0].path("remedy").asText());
        assertTrue(reported[0].path("detail").asText().startsWith("no running task on " + w2Name + " ("), reported[0].toString());
        assertTrue(reported[0].path("lastError").asText().contains("No such image"), reported[0].toString());
        assertEquals(0, reported[0].path("retries").asInt(), "reported before any retry");
        assertTrue(engine.tasks(agent).stream().filter(task -> task.nodeId().equals(w2Id)).noneMatch(task ->
                Set.of("running", "ready").contains(task.desiredState()) && !task.failed()), "Swarm has no attempt under way on w2");

        Lab.lab("docker", "w2", "pull", "-q", Lab.registry() + "/stackwarden-lab/sleep:1");
        Lab.lab("docker", "w2", "tag", Lab.registry() + "/stackwarden-lab/sleep:1", image);
        Await.until("a task of the global service runs on w2", BOUND, () -> onW2(agent) == 1, daemon::output);
        assertTrue(forceUpdate(agent) >= 1, "the remedy's forced update placed it");
        Await.until("the status says it was retried", BOUND, () -> remedies(stack, agent).stream()
                .anyMatch(r -> r.path("state").asText().equals("retried")), daemon::output);
        assertTrue(metric("stackwarden_remedies_total{outcome=\"applied\",remedy=\"global-complete\"}") >= 1);
    }

    // --- helpers ---

    /** Adds the stack's folder and waits until the daemon applied it. */
    private String deploy(String prefix, String compose) throws Exception {
        String stack = prefix + RUN;
        stacks.add(stack);
        Path staging = Files.createDirectories(work.resolve("staging").resolve(stack));
        Files.writeString(staging.resolve("compose.yaml"), compose);
        Files.move(staging, desired.resolve(stack));
        daemon.await("/api/v1/stacks/" + stack, r -> r.status() == 200 && r.body().contains("\"sync\":\"Synced\""), BOUND);
        return stack;
    }

    private static void awaitRunning(String service, int tasks) {
        Await.until(service + " runs " + tasks + " tasks", BOUND, () -> running(service).size() == tasks, daemon::output);
    }

    private static List<TaskInfo> running(String service) {
        return engine.tasks(service).stream().filter(TaskInfo::running).toList();
    }

    private static long onW2(String service) {
        return running(service).stream().filter(task -> task.nodeId().equals(w2Id)).count();
    }

    /** At most one task more on one lab node than on another (all three take tasks once w2 is back). */
    private static boolean even(String service) {
        List<Long> counts = nodeIds.stream().map(node -> running(service).stream()
                .filter(task -> task.nodeId().equals(node)).count()).toList();
        return counts.stream().mapToLong(Long::longValue).max().orElse(0)
                - counts.stream().mapToLong(Long::longValue).min().orElse(0) <= 1;
    }

    private static SwarmObject service(String name) {
        return engine.find(SwarmObject.Kind.SERVICE, name).orElseThrow();
    }

    private static long forceUpdate(String name) {
        return service(name).spec().at("/TaskTemplate/ForceUpdate").asLong(0);
    }

    private static String updateState(String name) {
        return service(name).raw().path("UpdateStatus").path("State").asText("");
    }

    /** The service's {@code remedies} in the stack's status. */
    private static List<JsonNode> remedies(String stack, String service) {
        try {
            JsonNode status = JSON.readTree(daemon.get("/api/v1/stacks/" + stack).body());
            return StreamSupport.stream(status.path("services").spliterator(), false)
                    .filter(s -> s.path("name").asText().equals(service))
                    .flatMap(s -> StreamSupport.stream(s.path("remedies").spliterator(), false)).toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static double metric(String series) {
        return daemon.get("/q/metrics").body().lines().filter(line -> line.startsWith(series + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).findFirst().orElse(-1);
    }
}
