package io.stackwarden.reconcile;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackwarden.compose.StackCompiler;
import io.stackwarden.desired.DesiredSource;
import io.stackwarden.desired.DesiredStateReader;
import io.stackwarden.lab.Lab;
import io.stackwarden.loop.PassResult;
import io.stackwarden.loop.StackController;
import io.stackwarden.loop.StatusStore;
import io.stackwarden.loop.SuspendOverrides;
import io.stackwarden.loop.Trigger;
import io.stackwarden.swarm.EngineApi;
import io.stackwarden.swarm.HttpSwarmEngine;
import io.stackwarden.swarm.SwarmEngine;
import io.stackwarden.swarm.SwarmObject;
import io.stackwarden.swarm.TaskInfo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * Stackwarden's own pass ({@link StackController}) on a desired-state folder of the test's, against the lab swarm:
 * what the daemon does, without the daemon. Stacks are named with a random token (the lab is shared).
 */
final class LabStacks implements AutoCloseable {

    private final Path root;
    private final EngineApi api;
    final SwarmEngine engine;
    final StatusStore statuses = new StatusStore();
    private final StackController controller;

    LabStacks(Path root) throws IOException {
        this.root = root;
        // Folders may go away at once: an empty desired state is allowed to prune.
        Files.writeString(root.resolve("stackwarden.yaml"), "allowEmpty: true\n");
        api = new EngineApi(Lab.dockerHost(), Duration.ofSeconds(20), new ObjectMapper());
        engine = new HttpSwarmEngine(api);
        StackReconciler reconciler = Reconcilers.on(engine);
        controller = new StackController(DesiredSource.folder(root), new DesiredStateReader(), new StackCompiler(), reconciler, engine, statuses,
                new SuspendOverrides(), Map.of("LAB_REGISTRY", Lab.registry()), Clock.systemUTC(), 3);
    }

    static String token() {
        return Long.toString(Math.abs(new java.util.Random().nextLong()) % 1_000_000, 36);
    }

    /** Writes the stack's compose file (a new revision) and runs one pass. */
    PassResult apply(String stack, String compose) {
        try {
            Files.createDirectories(root.resolve(stack));
            Files.writeString(root.resolve(stack).resolve("compose.yaml"), compose);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pass(stack);
    }

    PassResult pass(String stack) {
        return controller.reconcile(stack, Set.of(Trigger.SOURCE_CHANGE));
    }

    /**
     * Removes the stack's folder and runs passes until the stack is gone from the swarm (bounded). The passes are
     * manual syncs: in the shared lab, other Stackwarden-managed stacks (not in this test's folder) would otherwise
     * count as leaving too and trip {@code max-stack-removals}.
     */
    void remove(String stack) {
        try (Stream<Path> files = Files.walk(root.resolve(stack))) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        await(Duration.ofSeconds(90), "stack " + stack + " removed",
                () -> controller.reconcile(stack, Set.of(Trigger.MANUAL)).message().startsWith("stack removed"));
    }

    List<TaskInfo> tasks(String service) {
        return engine.tasks(service);
    }

    /** IDs of the nodes that take tasks: ready and active. */
    List<String> activeNodes() {
        return List.of(Lab.docker("node", "ls", "--format",
                "{{.ID}} {{.Status}} {{.Availability}}").trim().split("\n")).stream()
                .map(String::trim).filter(line -> line.endsWith("Ready Active")).map(line -> line.split(" ")[0]).toList();
    }

    String networkId(String name) {
        return engine.find(SwarmObject.Kind.NETWORK, name).orElseThrow().id();
    }

    /** Waits for a condition of the swarm (not a measurement: the bound only ends a hopeless wait). */
    static void await(Duration bound, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within " + bound + ": " + what);
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }

    @Override
    public void close() {
        api.close();
    }
}
