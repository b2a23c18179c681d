package io.stackwarden.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackwarden.lab.Lab;
import io.stackwarden.loop.PassResult;
import io.stackwarden.swarm.TaskInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code stop_signal} and {@code stop_grace_period} reach the container exactly (the talk's PostgreSQL case): the
 * lab's {@code signals} image logs the signal it gets and exits {@code EXIT_DELAY} seconds later. Stackwarden stops
 * the tasks itself, by applying a new revision (a rolling update stops each old task). {@code calm} gets SIGQUIT
 * and time enough; {@code hasty} gets SIGINT and less time than it needs, so the engine kills it at its grace period.
 */
class StopSignalIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path root;
    private static LabStacks lab;
    private static String stack;
    /** The stopped first-revision container of each service. */
    private static final Map<String, Stopped> stopped = new HashMap<>();

    record Stopped(String node, String taskId, JsonNode container, List<String> logs) {
    }

    private static String compose(int revision) {
        return """
                services:
                  calm:
                    image: ${LAB_REGISTRY}/stackwarden-lab/signals:1
                    environment: {EXIT_DELAY: "3", REVISION: "%1$d"}
                    stop_signal: SIGQUIT
                    stop_grace_period: 20s
                  hasty:
                    image: ${LAB_REGISTRY}/stackwarden-lab/signals:1
                    environment: {EXIT_DELAY: "30", REVISION: "%1$d"}
                    stop_signal: SIGINT
                    stop_grace_period: 2s
                """.formatted(revision);
    }

    @BeforeAll
    static void deployAndStop() throws Exception {
        lab = new LabStacks(root);
        stack = "itsig" + LabStacks.token();
        PassResult first = lab.apply(stack, compose(1));
        assertNotEquals(PassResult.Next.RETRY, first.next(), first.message());
        Map<String, TaskInfo> running = new HashMap<>();
        for (String service : List.of("calm", "hasty")) {
            String name = stack + "_" + service;
            LabStacks.await(Duration.ofSeconds(90), name + " running", () -> runningTask(name).isPresent());
            running.put(service, runningTask(name).orElseThrow());
        }
        PassResult second = lab.apply(stack, compose(2));
        assertEquals(List.of("update service " + stack + "_calm", "update service " + stack + "_hasty"),
                lab.statuses.get(stack).orElseThrow().lastOperation().writes().stream()
                        .map(write -> write.split(" \\[")[0]).toList(), second.message());
        for (Map.Entry<String, TaskInfo> entry : running.entrySet()) {
            TaskInfo task = entry.getValue();
            String node = Lab.node(task.nodeId());
            LabStacks.await(Duration.ofSeconds(90), entry.getKey() + "'s first container stopped",
                    () -> "exited".equals(container(node, task.containerId()).at("/State/Status").asText()));
            List<String> logs = List.of(Lab.lab("docker", node, "logs", "--timestamps", task.containerId()).split("\n"));
            stopped.put(entry.getKey(), new Stopped(node, task.id(), container(node, task.containerId()), logs));
        }
    }

    @AfterAll
    static void cleanUp() {
        if (stack != null) {
            lab.remove(stack);
        }
        lab.close();
    }

    private static Optional<TaskInfo> runningTask(String service) {
        return lab.tasks(service).stream().filter(TaskInfo::running).filter(t -> !t.containerId().isEmpty()).findFirst();
    }

    private static JsonNode container(String node, String id) {
        try {
            return JSON.readTree(Lab.lab("docker", node, "inspect", id)).get(0);
        } catch (Exception e) {
            throw new IllegalStateException("inspect of container " + id + " on " + node, e);
        }
    }

    /** The service's task spec as the swarm keeps it: the grace period is not part of the container's config. */
    private static long gracePeriodNanos(Stopped task) {
        return Long.parseLong(Lab.docker("inspect", "--format", "{{json .Spec.ContainerSpec.StopGracePeriod}}", task.taskId()).trim());
    }

    /** When the container logged that it got a signal (its own clock, as FinishedAt). */
    private static Instant signalled(Stopped task) {
        List<String> got = task.logs().stream().filter(line -> line.contains(" got SIG")).toList();
        assertEquals(1, got.size(), "exactly one signal: " + task.logs());
        return Instant.parse(got.get(0).substring(0, got.get(0).indexOf(' ')));
    }

    private static Duration signalToExit(Stopped task) {
        return Duration.between(signalled(task), Instant.parse(task.container().at("/State/FinishedAt").asText()));
    }

    @Test
    void theStopSignalIsDeliveredAndTheGracePeriodLetsItFinish() {
        Stopped calm = stopped.get("calm");
        assertEquals("SIGQUIT", calm.container().at("/Config/StopSignal").asText());
        assertEquals(Duration.ofSeconds(20).toNanos(), gracePeriodNanos(calm));
        assertTrue(calm.logs().stream().anyMatch(line -> line.endsWith(" got SIGQUIT")), calm.logs().toString());
        assertTrue(calm.logs().stream().anyMatch(line -> line.endsWith(" exiting after 3s")), calm.logs().toString());
        assertEquals(0, calm.container().at("/State/ExitCode").asInt(), "exited by itself, not killed");
        Duration took = signalToExit(calm);
        System.out.println("StopSignalIT: calm exited " + took + " after SIGQUIT");
        assertTrue(took.compareTo(Duration.ofSeconds(3)) >= 0 && took.compareTo(Duration.ofSeconds(20)) < 0,
                "exited EXIT_DELAY after the signal, within the grace period: " + took);
    }

    @Test
    void aGracePeriodShorterThanTheShutdownEndsInSigkill() {
        Stopped hasty = stopped.get("hasty");
        assertEquals("SIGINT", hasty.container().at("/Config/StopSignal").asText());
        assertEquals(Duration.ofSeconds(2).toNanos(), gracePeriodNanos(hasty));
        assertTrue(hasty.logs().stream().anyMatch(line -> line.endsWith(" got SIGINT")), hasty.logs().toString());
        assertFalse(hasty.logs().stream().anyMatch(line -> line.contains("exiting after")), hasty.logs().toString());
        assertEquals(137, hasty.container().at("/State/ExitCode").asInt(), "killed (128 + SIGKILL)");
        Duration took = signalToExit(hasty);
        System.out.println("StopSignalIT: hasty killed " + took + " after SIGINT");
        assertTrue(took.compareTo(Duration.ofSeconds(1)) >= 0 && took.compareTo(Duration.ofSeconds(30)) < 0,
                "killed at the grace period after the signal, long before its EXIT_DELAY: " + took);
    }
}
