package io.stackwarden.reconcile;

import io.stackwarden.compose.engine.StackLabels;
import io.stackwarden.desired.ResolveImage;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackwarden.compose.StackCompiler;
import io.stackwarden.compose.StackInput;
import io.stackwarden.lab.Lab;
import io.stackwarden.support.Await;
import io.stackwarden.swarm.CountingSwarmEngine;
import io.stackwarden.swarm.EngineApi;
import io.stackwarden.swarm.HttpSwarmEngine;
import io.stackwarden.swarm.SwarmObject;
import io.stackwarden.swarm.TaskInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rotation of configs and secrets on the lab: a changed file rolls the service that uses it to the new content
 * (read back inside its running task), old versions beyond {@code keep-versions} are collected, and a service
 * of the same stack that uses neither keeps its tasks. Each test deploys a stack of its own and removes it.
 */
class RotationIT {

    private static final int KEEP = 2;
    private static final Duration CONVERGE = Duration.ofSeconds(120);
    private static final String CONFIG_TARGET = "/etc/app.conf";
    private static final String SECRET_TARGET = "/run/secrets/pw";

    private static EngineApi api;
    private static CountingSwarmEngine engine;
    private static StackReconciler reconciler;

    private final String stack = "itrot" + Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36), 36);
    private final String app = stack + "_app";
    private final String side = stack + "_side";
    private Path root;
    private Path dir;

    @BeforeAll
    static void connect() {
        api = new EngineApi(Lab.dockerHost(), Duration.ofSeconds(20), new ObjectMapper());
        engine = new CountingSwarmEngine(new HttpSwarmEngine(api));
        reconciler = Reconcilers.on(engine, KEEP);
    }

    @AfterAll
    static void disconnect() {
        if (api != null) {
            api.close();
        }
    }

    /** The test's own stack: {@code app} uses config v1 and secret v1, {@code side} uses neither. */
    @BeforeEach
    void deploy() throws Exception {
        root = Files.createTempDirectory("stackwarden-rotation");
        dir = Files.createDirectories(root.resolve(stack));
        String image = Lab.registry() + "/stackwarden-lab/sleep:1";
        Files.writeString(dir.resolve("compose.yaml"), """
                services:
                  app:
                    image: %1$s
                    stop_grace_period: 1s
                    configs: [{source: conf, target: %2$s, mode: 0440}]
                    secrets: [{source: pw, target: pw, uid: "0", gid: "0", mode: 0400}]
                    deploy:
                      replicas: 1
                      update_config: {order: stop-first, parallelism: 1, delay: 0s, monitor: 1s}
                  side:
                    image: %1$s
                    stop_grace_period: 1s
                    deploy: {replicas: 1}
                configs:
                  conf: {file: ./conf.txt}
                secrets:
                  pw: {file: ./pw.txt}
                """.formatted(image, CONFIG_TARGET));
        Files.writeString(dir.resolve("conf.txt"), "config v1\n");
        Files.writeString(dir.resolve("pw.txt"), "secret v1\n");
        ReconcileResult created = reconcile();
        assertEquals(ReconcileResult.Outcome.APPLIED, created.outcome(), created.message());
        awaitContent(CONFIG_TARGET, "config v1\n");
        awaitContent(SECRET_TARGET, "secret v1\n");
    }

    @AfterEach
    void remove() throws Exception {
        try {
            TargetState empty = new TargetState(stack, "cleanup", List.of(), List.of());
            // A network is removable once the tasks of its services are gone: passes until nothing is left.
            Await.until("objects of " + stack + " removed", CONVERGE, () -> {
                reconciler.reconcile(empty, StackReconciler.Settings.defaults());
                return left().isEmpty();
            }, () -> left().toString());
        } finally {
            try (Stream<Path> files = Files.walk(root)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private List<String> left() {
        return Stream.of(SwarmObject.Kind.values())
                .flatMap(kind -> engine.list(kind, StackLabels.NAMESPACE, stack).stream().map(o -> kind + " " + o.name()))
                .toList();
    }

    private ReconcileResult reconcile() throws Exception {
        StackCompiler.Compiled compiled = new StackCompiler().compile(new StackInput(stack, dir, root,
                List.of(dir.resolve("compose.yaml")), Map.of()));
        engine.reset();
        ReconcileResult result = reconciler.reconcile(TargetState.of(stack, "r", compiled.objects()),
                new StackReconciler.Settings(ResolveImage.NEVER, true, false));
        assertTrue(!result.failed(), result.message());
        return result;
    }

    /** Writes a new file, reconciles, and checks the writes: a new object and an update of the app service only. */
    private void change(String file, String content, SwarmObject.Kind kind) throws Exception {
        Files.writeString(dir.resolve(file), content);
        ReconcileResult result = reconcile();
        List<String> writes = engine.writes().stream().filter(w -> !w.startsWith("remove ")).toList();
        assertEquals(2, writes.size(), engine.writes().toString());
        assertTrue(writes.get(0).matches("create " + kind + " " + stack + "_" + (kind == SwarmObject.Kind.CONFIG ? "conf" : "pw")
                + "_[0-9a-f]{10}"), writes.toString());
        assertEquals("update service " + app, writes.get(1));
        assertEquals(ReconcileResult.Outcome.APPLIED, result.outcome(), result.message());
        ReconcileResult again = reconcile();
        assertEquals(List.of(), engine.writes(), "the pass after the change writes nothing: " + again.message());
    }

    @Test
    void changedConfigRollsTheServiceToTheNewContent() throws Exception {
        change("conf.txt", "config v2\n", SwarmObject.Kind.CONFIG);
        awaitContent(CONFIG_TARGET, "config v2\n");
        var file = engine.find(SwarmObject.Kind.SERVICE, app).orElseThrow().spec().at("/TaskTemplate/ContainerSpec/Configs/0/File");
        assertEquals(List.of(CONFIG_TARGET, "0", "0", 0440), List.of(file.path("Name").asText(), file.path("UID").asText(),
                file.path("GID").asText(), file.path("Mode").asInt()), "target, uid, gid and mode kept");
    }

    @Test
    void changedSecretRollsTheServiceToTheNewContent() throws Exception {
        change("pw.txt", "secret v2\n", SwarmObject.Kind.SECRET);
        awaitContent(SECRET_TARGET, "secret v2\n");
        awaitContent(CONFIG_TARGET, "config v1\n");
    }

    @Test
    void onlyKeepVersionsOldVersionsRemain() throws Exception {
        for (int v = 2; v <= 5; v++) {
            change("conf.txt", "config v" + v + "\n", SwarmObject.Kind.CONFIG);
            awaitContent(CONFIG_TARGET, "config v" + v + "\n");
        }
        for (int v = 2; v <= 4; v++) {
            change("pw.txt", "secret v" + v + "\n", SwarmObject.Kind.SECRET);
            awaitContent(SECRET_TARGET, "secret v" + v + "\n");
        }
        // Five config versions and four secret versions were made: the current one and KEEP old ones remain.
        assertEquals(KEEP + 1, versions(SwarmObject.Kind.CONFIG, "conf").size(), versions(SwarmObject.Kind.CONFIG, "conf").toString());
        assertEquals(KEEP + 1, versions(SwarmObject.Kind.SECRET, "pw").size(), versions(SwarmObject.Kind.SECRET, "pw").toString());
    }

    @Test
    void serviceUsingNeitherKeepsItsTasks() throws Exception {
        Set<String> sideTasks = awaitRunning(side);
        long sideVersion = engine.find(SwarmObject.Kind.SERVICE, side).orElseThrow().version();
        change("conf.txt", "config v2\n", SwarmObject.Kind.CONFIG);
        change("pw.txt", "secret v2\n", SwarmObject.Kind.SECRET);
        awaitContent(CONFIG_TARGET, "config v2\n");
        awaitContent(SECRET_TARGET, "secret v2\n");
        assertEquals(sideVersion, engine.find(SwarmObject.Kind.SERVICE, side).orElseThrow().version(), "side was updated");
        assertEquals(sideTasks, awaitRunning(side));
    }

    private Set<String> versions(SwarmObject.Kind kind, String key) {
        Set<String> names = new TreeSet<>();
        engine.list(kind, Ownership.OBJECT_KEY, key).stream()
                .filter(o -> stack.equals(o.labels().get(StackLabels.NAMESPACE))).forEach(o -> names.add(o.name()));
        return names;
    }

    /** IDs of the running tasks of a service, once it has exactly one (its replica count). */
    private static Set<String> awaitRunning(String service) {
        Await.until(service + " has a single running task", CONVERGE, () -> running(service).size() == 1,
                () -> engine.tasks(service).toString());
        return Set.of(running(service).get(0).id());
    }

    private static List<TaskInfo> running(String service) {
        return engine.tasks(service).stream().filter(TaskInfo::running).toList();
    }

    /** Waits until the one running task of the app service has {@code expected} in {@code path}, read with docker exec. */
    private void awaitContent(String path, String expected) {
        String[] seen = {""};
        Await.until("the running task of " + app + " shows " + expected.trim() + " in " + path, CONVERGE, () -> {
            List<TaskInfo> running = running(app);
            if (running.size() != 1 || running.get(0).containerId().isEmpty()) {
                return false;
            }
            try {
                seen[0] = Lab.lab("docker", node(running.get(0).nodeId()), "exec", running.get(0).containerId(), "cat", path);
            } catch (IllegalStateException e) {
                seen[0] = e.getMessage(); // the container stopped between listing and exec: look again
            }
            return seen[0].equals(expected);
        }, () -> "last seen: " + seen[0]);
    }

    /** The lab's name of a node ({@code m1}, {@code w1}, ...): its hostname is {@code <lab>-<node>}. */
    private static String node(String nodeId) {
        String hostname = Lab.docker("node", "inspect", "--format", "{{.Description.Hostname}}", nodeId).trim();
        return hostname.substring(hostname.lastIndexOf('-') + 1);
    }
}
