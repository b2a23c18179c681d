package io.stackwarden.loop;

import io.stackwarden.compose.StackLabels;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwarden.lab.Daemon;
import io.stackwarden.lab.Lab;
import io.stackwarden.reconcile.Ownership;
import io.stackwarden.swarm.EngineApi;
import io.stackwarden.swarm.EngineException;
import io.stackwarden.swarm.HttpSwarmEngine;
import io.stackwarden.swarm.SwarmObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Continuous reconciliation on the lab: the packaged daemon heals out-of-band changes as the engine's
 * events report them. The periodic resync is set to an hour, so only events (and the resync after a
 * reconnect) can explain a heal. One daemon serves every test; each test has its own stack.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DriftIT {

    private static final Duration HEAL = Duration.ofSeconds(60);
    private static final List<String> STACKS = List.of("evdrift", "evsus", "evign", "evflood");
    private static final List<String> FLOOD_SERVICES = List.of("app", "b", "c");
    private static Path desired;
    private static Daemon daemon;
    private boolean managerStopped;

    @BeforeAll
    static void startDaemon() throws Exception {
        removeStacks();
        desired = Files.createTempDirectory("stackwarden-drift");
        for (String stack : STACKS) {
            Path dir = Files.createDirectories(desired.resolve(stack));
            StringBuilder compose = new StringBuilder("services:\n");
            for (String service : stack.equals("evflood") ? FLOOD_SERVICES : List.of("app")) {
                compose.append("""
                          %s:
                            image: %s/stackwarden-lab/sleep:1
                            environment: {A: "1"}
                            stop_grace_period: 1s
                            deploy: {replicas: 1}
                        """.formatted(service, Lab.registry()));
            }
            compose.append("configs:\n  note:\n    file: note.txt\n");
            Files.writeString(dir.resolve("compose.yaml"), compose.toString());
            Files.writeString(dir.resolve("note.txt"), "a config no service uses, so it can be removed by hand\n");
        }
        settings(false);
        daemon = Daemon.start(Map.of(
                "DOCKER_HOST", Lab.dockerHost(),
                "STACKWARDEN_DESIRED_DIR", desired.toString(),
                "STACKWARDEN_RESYNC_INTERVAL", "1h",
                "STACKWARDEN_ENGINE_PROBE_INTERVAL", "1s",
                "STACKWARDEN_ENGINE_RETRY_INITIAL", "500ms",
                "STACKWARDEN_ENGINE_RETRY_MAX", "2s",
                "STACKWARDEN_RECONCILE_RETRY_MAX", "5s",
                "QUARKUS_LOG_CATEGORY__IO_STACKWARDEN_LOOP__LEVEL", "DEBUG"));
        daemon.await("/q/health/ready", r -> r.status() == 200, Duration.ofSeconds(90));
        for (String stack : STACKS) {
            awaitTrue(stack + " deployed", () -> replicas(stack + "_app").equals("1"));
        }
        awaitQuiet();
    }

    @AfterAll
    static void stopDaemon() throws Exception {
        if (daemon != null) {
            daemon.close();
            Files.writeString(Path.of("target", "DriftIT-daemon.log"), daemon.output()); // for a look after the run
        }
        removeStacks();
        if (desired != null) {
            try (Stream<Path> files = Files.walk(desired)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    @AfterEach
    void restartManager() {
        if (managerStopped) {
            Lab.lab("node-start", "m1");
            managerStopped = false;
        }
    }

    @Test
    @Order(1)
    void scaleEnvAndImageChangesAreHealed() throws Exception {
        int mark = mark();
        Lab.docker("service", "scale", "-d", "evdrift_app=3");
        awaitTrue("replicas back to 1", () -> replicas("evdrift_app").equals("1"));
        assertHealedBy(mark, "stack evdrift: update service evdrift_app");

        mark = mark();
        Lab.docker("service", "update", "-d", "--env-add", "DRIFT=1", "evdrift_app");
        awaitTrue("DRIFT removed from the environment", () -> !inspect("evdrift_app", "{{.Spec.TaskTemplate.ContainerSpec.Env}}").contains("DRIFT"));
        assertHealedBy(mark, "stack evdrift: update service evdrift_app");

        mark = mark();
        Lab.docker("service", "update", "-d", "--no-resolve-image", "--image", Lab.registry() + "/stackwarden-lab/web:1", "evdrift_app");
        awaitTrue("image back to sleep:1", () -> inspect("evdrift_app", "{{.Spec.TaskTemplate.ContainerSpec.Image}}")
                .startsWith(Lab.registry() + "/stackwarden-lab/sleep:1"));
        assertHealedBy(mark, "stack evdrift: update service evdrift_app");
    }

    @Test
    @Order(2)
    void removedServiceAndConfigAreRecreated() throws Exception {
        String before = inspect("evdrift_app", "{{.ID}}");
        int mark = mark();
        Lab.docker("service", "rm", "evdrift_app");
        awaitTrue("service recreated", () -> !inspect("evdrift_app", "{{.ID}}").equals(before));
        assertHealedBy(mark, "stack evdrift: create service evdrift_app");

        // Named by content (parity.md row 11): found by its key label.
        String note = Lab.docker("config", "ls", "--format", "{{.Name}}", "--filter", "label=" + Ownership.OBJECT_KEY + "=note",
                "--filter", "label=" + StackLabels.NAMESPACE + "=evdrift").trim();
        assertTrue(note.matches("evdrift_note_[0-9a-f]{10}"), note);
        mark = mark();
        Lab.docker("config", "rm", note);
        awaitTrue("config recreated", () -> succeeds("config", "inspect", note));
        assertHealedBy(mark, "stack evdrift: create config " + note);
    }

    /** A suspended stack keeps hand-made changes; resumed, it heals even a removed network (and its service). */
    @Test
    @Order(3)
    void suspendIsRespectedAndARemovedNetworkIsHealedOnResume() throws Exception {
        settings(true);
        int mark = mark();
        Lab.docker("service", "scale", "-d", "evsus_app=2");
        awaitLog(mark, "stack evsus: pass ");
        awaitQuiet();
        assertEquals("2", replicas("evsus_app"));
        int removed = mark();
        Lab.docker("service", "rm", "evsus_app");
        awaitLog(removed, "stack evsus: pass ");
        awaitQuiet();
        assertEquals("absent", replicas("evsus_app"));
        String log = daemon.output().substring(mark);
        assertFalse(log.contains("stack evsus: update") || log.contains("stack evsus: create"), log);

        // Resumed: nothing happens until an event; removing the network (possible now no service uses it) is one.
        settings(false);
        mark = mark();
        awaitTrue("network removed by hand", () -> succeeds("network", "rm", "evsus_default"));
        awaitTrue("network recreated", () -> succeeds("network", "inspect", "evsus_default"));
        awaitTrue("service recreated", () -> replicas("evsus_app").equals("1"));
        assertHealedBy(mark, "stack evsus: create network evsus_default");
        assertHealedBy(mark, "stack evsus: create service evsus_app");
    }

    @Test
    @Order(4)
    void ignoredReplicasStay() throws Exception {
        int mark = mark();
        Lab.docker("service", "scale", "-d", "evign_app=2");
        awaitLog(mark, "stack evign: pass ");
        awaitQuiet();
        assertEquals("2", replicas("evign_app"));
        assertFalse(daemon.output().substring(mark).contains("stack evign: update"), daemon.output().substring(mark));
    }

    /**
     * 30 label changes as fast as the engine takes them, on the stack's three services at once: the queue
     * merges their events into far fewer passes, and the end state is healed.
     */
    @Test
    @Order(5)
    void aFloodOfEventsIsCoalesced() throws Exception {
        int perService = 10;
        int updates = perService * FLOOD_SERVICES.size();
        awaitQuiet();
        int mark = mark();
        double eventsBefore = metric("stackwarden_engine_events_total");
        try (EngineApi api = new EngineApi(Lab.dockerHost(), Duration.ofSeconds(10), new ObjectMapper())) {
            HttpSwarmEngine engine = new HttpSwarmEngine(api);
            List<CompletableFuture<Void>> floods = FLOOD_SERVICES.stream()
                    .map(service -> CompletableFuture.runAsync(() -> addLabels(engine, "evflood_" + service, perService)))
                    .toList();
            CompletableFuture.allOf(floods.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
        }
        for (String service : FLOOD_SERVICES) {
            awaitTrue("flood label removed from " + service,
                    () -> !inspect("evflood_" + service, "{{json .Spec.Labels}}").contains("\"flood\""));
        }
        awaitQuiet();
        long passes = count(daemon.output().substring(mark), "stack evflood: pass ");
        double events = metric("stackwarden_engine_events_total") - eventsBefore;
        System.out.printf("flood: %d updates, %.0f events, %d passes%n", updates, events, passes);
        assertTrue(events >= updates, "events seen: " + events);
        assertTrue(passes >= 1 && passes < updates, "passes: " + passes + "\n" + daemon.output().substring(mark));
    }

    /** Adds label flood=i, {@code count} times; Stackwarden removing it in between only makes a retry. */
    private static void addLabels(HttpSwarmEngine engine, String service, int count) {
        for (int i = 0; i < count; ) {
            SwarmObject live = engine.find(SwarmObject.Kind.SERVICE, service).orElseThrow();
            ObjectNode spec = live.spec().deepCopy();
            spec.with("Labels").put("flood", Integer.toString(i));
            try {
                engine.update(SwarmObject.Kind.SERVICE, live.id(), live.version(), spec);
                i++;
            } catch (EngineException e) {
                if (!e.getMessage().contains("out of sequence")) {
                    throw e;
                }
            }
        }
    }

    /** The stream dies with the manager's engine; after it returns, a change made at once is still healed. */
    @Test
    @Order(6)
    void eventStreamLostAndRecoveredMissesNothing() throws Exception {
        double reconnects = metric("stackwarden_engine_events_reconnects_total");
        managerStopped = true;
        Lab.lab("node-stop", "m1");
        try {
            Daemon.Reply down = daemon.await("/q/health/ready", r -> r.status() == 503, Duration.ofSeconds(30));
            assertTrue(down.body().contains("docker-events"), down.body());
        } finally {
            Lab.lab("node-start", "m1");
            managerStopped = false;
        }
        int mark = mark();
        awaitTrue("scaled by hand once the manager leads again", () -> succeeds("service", "scale", "-d", "evdrift_app=3"));
        awaitTrue("replicas back to 1", () -> replicas("evdrift_app").equals("1"));
        assertHealedBy(mark, "stack evdrift: update service evdrift_app");
        daemon.await("/q/health/ready", r -> r.status() == 200, HEAL);
        assertTrue(metric("stackwarden_engine_events_reconnects_total") > reconnects);
    }

    // --- helpers ---

    private static void settings(boolean suspendEvsus) throws IOException {
        Files.writeString(desired.resolve("stackwarden.yaml"), """
                # prune off: the lab is shared, and other stacks managed by Stackwarden are not in this directory
                defaults: {resolveImage: never, prune: false}
                stacks:
                  evign: {ignore: [replicas]}
                  evsus: {suspend: %s}
                """.formatted(suspendEvsus));
    }

    private static void removeStacks() {
        for (String stack : STACKS) {
            succeeds("stack", "rm", stack);
        }
    }

    private static boolean succeeds(String... args) {
        try {
            Lab.docker(args);
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    private static String inspect(String service, String format) {
        return Lab.docker("service", "inspect", "--format", format, service).trim();
    }

    private static String replicas(String service) {
        try {
            return inspect(service, "{{.Spec.Mode.Replicated.Replicas}}");
        } catch (IllegalStateException e) {
            return "absent";
        }
    }

    private static int mark() {
        return daemon.output().length();
    }

    private static void assertHealedBy(int mark, String logLine) {
        String log = daemon.output().substring(mark);
        assertTrue(log.contains(logLine), "no \"" + logLine + "\" in the daemon's log since the change:\n" + log);
    }

    private static void awaitLog(int mark, String text) throws InterruptedException {
        awaitTrue("log line \"" + text + "\"", () -> daemon.output().substring(mark).contains(text));
    }

    /** Waits until no pass has run for two seconds: the loop is idle. */
    private static void awaitQuiet() throws InterruptedException {
        long end = System.nanoTime() + HEAL.toNanos();
        while (System.nanoTime() < end) {
            long before = count(daemon.output(), ": pass [");
            Thread.sleep(2_000);
            if (count(daemon.output(), ": pass [") == before) {
                return;
            }
        }
        throw new AssertionError("the loop never went quiet:\n" + daemon.output());
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + HEAL.toNanos();
        while (System.nanoTime() < end) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (IllegalStateException notYet) {
                // the docker CLI failed, for example on an object that is not there (yet)
            }
            Thread.sleep(200);
        }
        throw new AssertionError("not within " + HEAL + ": " + what + "\n--- daemon output ---\n" + daemon.output());
    }

    private static long count(String text, String needle) {
        long count = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            count++;
        }
        return count;
    }

    private static double metric(String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})? (\\S+)$").matcher(daemon.get("/q/metrics").body());
        if (!m.find()) {
            throw new AssertionError("no metric " + name);
        }
        return Double.parseDouble(m.group(2));
    }
}
