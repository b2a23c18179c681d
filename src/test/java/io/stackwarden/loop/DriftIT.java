package io.stackwarden.loop;

import io.stackwarden.compose.engine.StackLabels;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwarden.lab.Daemon;
import io.stackwarden.lab.Lab;
import io.stackwarden.reconcile.Ownership;
import io.stackwarden.support.Await;
import io.stackwarden.support.TestFiles;
import io.stackwarden.swarm.EngineApi;
import io.stackwarden.swarm.EngineException;
import io.stackwarden.swarm.HttpSwarmEngine;
import io.stackwarden.swarm.SwarmObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Continuous reconciliation on the lab: the packaged daemon heals out-of-band changes as the engine's
 * events report them. The periodic resync is set to an hour, so only events (and the resync after a
 * reconnect) can explain a heal. One daemon serves every test; each test deploys a stack of its own
 * (a folder added to the watched directory) and removes it, so each runs alone as well as in the class.
 * Outcomes are read from the swarm and from the stack's status ({@code GET /api/v1/stacks/{name}}).
 */
class DriftIT {

    private static final Duration HEAL = Duration.ofSeconds(60);
    private static final String RUN = Long.toString(Math.abs(new Random().nextLong()) % 46656, 36);
    /** Per-stack entries of {@code stackwarden.yaml}, by stack. */
    private static final Map<String, String> SETTINGS = new ConcurrentHashMap<>();
    private static Path work;
    private static Path desired;
    private static Daemon daemon;
    private static EngineApi api;
    private static HttpSwarmEngine engine;
    private static final String TOKEN = "drift-token-0123456789";

    private final List<String> stacks = new ArrayList<>();
    private boolean managerStopped;

    @BeforeAll
    static void startDaemon() throws Exception {
        api = new EngineApi(Lab.dockerHost(), Duration.ofSeconds(10), new ObjectMapper());
        engine = new HttpSwarmEngine(api);
        work = Files.createTempDirectory("stackwarden-drift");
        desired = Files.createDirectories(work.resolve("desired"));
        writeSettings();
        Path token = Files.writeString(work.resolve("token"), TOKEN);
        daemon = Daemon.startReady(Map.ofEntries(
                Map.entry("STACKWARDEN_API_TOKEN_FILE", token.toString()),
                Map.entry("STACKWARDEN_API_READ_REQUIRES_TOKEN", "false"),
                Map.entry("DOCKER_HOST", Lab.dockerHost()),
                Map.entry("STACKWARDEN_DESIRED_DIR", desired.toString()),
                Map.entry("STACKWARDEN_SOURCE_SCAN_INTERVAL", "1s"),
                Map.entry("STACKWARDEN_RESYNC_INTERVAL", "1h"),
                Map.entry("STACKWARDEN_ENGINE_PROBE_INTERVAL", "1s"),
                Map.entry("STACKWARDEN_ENGINE_RETRY_INITIAL", "500ms"),
                Map.entry("STACKWARDEN_ENGINE_RETRY_MAX", "2s"),
                Map.entry("STACKWARDEN_RECONCILE_RETRY_MAX", "5s"),
                Map.entry("QUARKUS_LOG_CATEGORY__IO_STACKWARDEN_LOOP__LEVEL", "DEBUG")));
    }

    @AfterAll
    static void stopDaemon() throws Exception {
        if (daemon != null) {
            daemon.closeKeepingLog("DriftIT");
        }
        if (api != null) {
            api.close();
        }
        if (work != null) {
            TestFiles.deleteTree(work);
        }
    }

    /** The folder goes first: with prune off, the daemon then leaves the stack alone, and the CLI removes it. */
    @AfterEach
    void removeStacks() throws Exception {
        if (managerStopped) {
            Lab.lab("node-start", "m1");
        }
        Lab.awaitNodesReady();
        for (String stack : stacks) {
            TestFiles.deleteTree(desired.resolve(stack));
            succeeds("stack", "rm", stack);
        }
    }

    @Test
    void scaleEnvAndImageChangesAreHealed() throws Exception {
        String stack = deploy("evdrift", "", "app");
        String app = stack + "_app";
        Lab.docker("service", "scale", "-d", app + "=3");
        awaitTrue("replicas back to 1", () -> replicas(app).equals("1"));

        Lab.docker("service", "update", "-d", "--env-add", "DRIFT=1", app);
        awaitTrue("DRIFT removed from the environment", () -> !inspect(app, "{{.Spec.TaskTemplate.ContainerSpec.Env}}").contains("DRIFT"));

        Lab.docker("service", "update", "-d", "--no-resolve-image", "--image", Lab.registry() + "/stackwarden-lab/web:1", app);
        awaitTrue("image back to sleep:1", () -> inspect(app, "{{.Spec.TaskTemplate.ContainerSpec.Image}}")
                .startsWith(Lab.registry() + "/stackwarden-lab/sleep:1"));
        assertEquals("Synced", settle(stack).path("sync").asText());
    }

    @Test
    void removedServiceAndConfigAreRecreated() throws Exception {
        String stack = deploy("evrm", "", "app");
        String app = stack + "_app";
        String before = inspect(app, "{{.ID}}");
        Lab.docker("service", "rm", app);
        awaitTrue("service recreated", () -> !inspect(app, "{{.ID}}").equals(before));

        // Named by content (parity.md row 11): found by its key label.
        String note = Lab.docker("config", "ls", "--format", "{{.Name}}", "--filter", "label=" + Ownership.OBJECT_KEY + "=note",
                "--filter", "label=" + StackLabels.NAMESPACE + "=" + stack).trim();
        assertTrue(note.matches(stack + "_note_[0-9a-f]{10}"), note);
        Lab.docker("config", "rm", note);
        awaitTrue("config recreated", () -> succeeds("config", "inspect", note));
        assertEquals("Synced", settle(stack).path("sync").asText());
    }

    /** A suspended stack keeps hand-made changes; resumed, it heals even a removed network (and its service). */
    @Test
    void suspendIsRespectedAndARemovedNetworkIsHealedOnResume() throws Exception {
        String stack = deploy("evsus", "", "app");
        String app = stack + "_app";
        settings(stack, "{suspend: true}");
        assertEquals("Suspended", settle(stack).path("health").asText());

        Lab.docker("service", "scale", "-d", app + "=2");
        assertEquals(List.of(), writes(settle(stack)), "the pass after the scale wrote nothing");
        assertEquals("2", replicas(app));
        Lab.docker("service", "rm", app);
        assertEquals(List.of(), writes(settle(stack)), "the pass after the removal wrote nothing");
        assertEquals("absent", replicas(app));

        // Resumed: nothing happens until an event; removing the network (possible now no service uses it) is one.
        settings(stack, "{suspend: false}");
        awaitTrue("network removed by hand", () -> succeeds("network", "rm", stack + "_default"));
        awaitTrue("network recreated", () -> succeeds("network", "inspect", stack + "_default"));
        awaitTrue("service recreated", () -> replicas(app).equals("1"));
    }

    @Test
    void ignoredReplicasStay() throws Exception {
        String stack = deploy("evign", "{ignore: [replicas]}", "app");
        Lab.docker("service", "scale", "-d", stack + "_app=2");
        JsonNode status = settle(stack);
        assertEquals(List.of(), writes(status), "the pass after the scale wrote nothing");
        assertEquals("Synced", status.path("sync").asText(), "an ignored field is no drift");
        assertEquals("2", replicas(stack + "_app"));
    }

    /**
     * 30 label changes as fast as the engine takes them, on the stack's three services at once: the queue
     * merges their events into far fewer passes, and the end state is healed.
     */
    @Test
    void aFloodOfEventsIsCoalesced() throws Exception {
        List<String> services = List.of("app", "b", "c");
        String stack = deploy("evflood", "", services.toArray(String[]::new));
        int perService = 10;
        int updates = perService * services.size();
        double passesBefore = metric("stackwarden_reconcile_passes_total");
        double eventsBefore = metric("stackwarden_engine_events_total");
        List<CompletableFuture<Void>> floods = services.stream()
                .map(service -> CompletableFuture.runAsync(() -> addLabels(stack + "_" + service, perService)))
                .toList();
        CompletableFuture.allOf(floods.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
        for (String service : services) {
            awaitTrue("flood label removed from " + service,
                    () -> !inspect(stack + "_" + service, "{{json .Spec.Labels}}").contains("\"flood\""));
        }
        settle(stack);
        // Every pass of the daemon counts, the marker's too: an upper bound of the flood's own.
        double passes = metric("stackwarden_reconcile_passes_total") - passesBefore;
        double events = metric("stackwarden_engine_events_total") - eventsBefore;
        System.out.printf("flood: %d updates, %.0f events, %.0f passes%n", updates, events, passes);
        assertTrue(events >= updates, "events seen: " + events);
        assertTrue(passes >= 1 && passes < updates, "passes: " + passes);
    }

    /** Adds label flood=i, {@code count} times; Stackwarden removing it in between only makes a retry. */
    private static void addLabels(String service, int count) {
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
    void eventStreamLostAndRecoveredMissesNothing() throws Exception {
        String stack = deploy("evlost", "", "app");
        String app = stack + "_app";
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
        awaitTrue("scaled by hand once the manager leads again", () -> succeeds("service", "scale", "-d", app + "=3"));
        awaitTrue("replicas back to 1", () -> replicas(app).equals("1"));
        daemon.await("/q/health/ready", r -> r.status() == 200, HEAL);
        assertTrue(metric("stackwarden_engine_events_reconnects_total") > reconnects);
        awaitTrue("the swarm cache listed again on the reconnect and is fresh",
                () -> metric("stackwarden_engine_cache_fresh") == 1.0 && metric("stackwarden_engine_cache_relists_total") >= 2);
    }

    // --- helpers ---

    /**
     * Adds the folder of a new stack {@code <prefix><run>} with the given services (and a config no service uses,
     * so it can be removed by hand), and waits until the daemon deployed it and its tasks run.
     *
     * @param settings the stack's entry in {@code stackwarden.yaml}, empty for none
     */
    private String deploy(String prefix, String settings, String... services) throws Exception {
        String stack = prefix + RUN;
        stacks.add(stack);
        if (!settings.isEmpty()) {
            settings(stack, settings);
        }
        StringBuilder compose = new StringBuilder("services:\n");
        for (String service : services) {
            compose.append("""
                      %s:
                        image: %s/stackwarden-lab/sleep:1
                        environment: {A: "1"}
                        stop_grace_period: 1s
                        deploy: {replicas: 1}
                    """.formatted(service, Lab.registry()));
        }
        compose.append("configs:\n  note:\n    file: note.txt\n");
        // Written aside and moved in whole, so the folder scan never sees half a stack.
        Path staging = Files.createDirectories(work.resolve("staging").resolve(stack));
        Files.writeString(staging.resolve("compose.yaml"), compose.toString());
        Files.writeString(staging.resolve("note.txt"), "a config no service uses, so it can be removed by hand\n");
        Files.move(staging, desired.resolve(stack));
        daemon.await("/api/v1/stacks/" + stack, r -> r.status() == 200 && r.body().contains("\"sync\":\"Synced\"")
                && r.body().contains("\"health\":\"Healthy\""), Duration.ofSeconds(120));
        return stack;
    }

    private static void settings(String stack, String entry) throws IOException {
        SETTINGS.put(stack, entry);
        writeSettings();
    }

    private static void writeSettings() throws IOException {
        StringBuilder yaml = new StringBuilder("""
                # prune off: the lab is shared, and other stacks managed by Stackwarden are not in this directory
                defaults: {resolveImage: never, prune: false}
                """).append(SETTINGS.isEmpty() ? "stacks: {}\n" : "stacks:\n");
        SETTINGS.forEach((stack, entry) -> yaml.append("  ").append(stack).append(": ").append(entry).append('\n'));
        Path file = work.resolve("stackwarden.yaml.new");
        Files.writeString(file, yaml.toString());
        Files.move(file, desired.resolve("stackwarden.yaml"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * The status of {@code stack} after a pass that saw everything done to the swarm so far. The marker is a
     * requested sync of the stack, made after every earlier change: a pass that started after the marker started
     * after those changes were in the swarm, and decides on them as any later pass would. (An update that changes
     * nothing no longer serves: the swarm cache rightly takes it for no change, so it causes no pass.)
     */
    private static JsonNode settle(String stack) {
        Instant marked = Instant.now();
        Daemon.Reply requested = daemon.post("/api/v1/stacks/" + stack + "/sync",
                Map.of("Authorization", "Bearer " + TOKEN), new byte[0]);
        assertTrue(requested.status() / 100 == 2, requested.status() + " " + requested.body());
        JsonNode[] status = {null};
        Await.until("a pass of " + stack + " after the marker", HEAL, () -> {
            status[0] = status(stack);
            JsonNode operation = status[0].path("lastOperation");
            return operation.hasNonNull("finished") && !instant(operation.path("started")).isBefore(marked);
        }, () -> String.valueOf(status[0]));
        return status[0];
    }

    private static JsonNode status(String stack) {
        return daemon.getJson("/api/v1/stacks/" + stack);
    }

    /** An instant as Jackson writes it: ISO-8601 text, or seconds since the epoch. */
    private static Instant instant(JsonNode value) {
        if (value.isNumber()) {
            return Instant.ofEpochSecond(0, value.decimalValue().movePointRight(9).longValue());
        }
        return Instant.parse(value.asText());
    }

    private static List<String> writes(JsonNode status) {
        List<String> writes = new ArrayList<>();
        status.path("lastOperation").path("writes").forEach(write -> writes.add(write.asText()));
        return writes;
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

    /** Waits for a condition of the swarm; a failing docker CLI (an object not there yet) counts as not yet. */
    private static void awaitTrue(String what, BooleanSupplier condition) {
        Await.until(what, HEAL, () -> {
            try {
                return condition.getAsBoolean();
            } catch (IllegalStateException notYet) {
                return false;
            }
        }, () -> "--- daemon output ---\n" + daemon.output());
    }

    private static double metric(String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})? (\\S+)$").matcher(daemon.get("/q/metrics").body());
        if (!m.find()) {
            throw new AssertionError("no metric " + name);
        }
        return Double.parseDouble(m.group(2));
    }
}
