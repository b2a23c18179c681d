package io.stackwarden.parity;

import io.stackwarden.reconcile.Reconcilers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwarden.compose.ComposeException;
import io.stackwarden.compose.StackCompiler;
import io.stackwarden.desired.DesiredStack;
import io.stackwarden.desired.DesiredState;
import io.stackwarden.desired.DesiredStateReader;
import io.stackwarden.lab.Lab;
import io.stackwarden.reconcile.ReconcileResult;
import io.stackwarden.desired.ResolveImage;
import io.stackwarden.reconcile.StackReconciler;
import io.stackwarden.reconcile.TargetState;
import io.stackwarden.swarm.CountingSwarmEngine;
import io.stackwarden.swarm.EngineApi;
import io.stackwarden.swarm.HttpSwarmEngine;
import io.stackwarden.swarm.SwarmObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.logging.Logger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Parity with {@code docker stack deploy}: every compose file of {@code ../shared/corpus/} and of
 * {@code src/test/resources/parity/} is deployed on the lab by the CLI (stack {@code parcli<n><mode>}) and by
 * Stackwarden (stack {@code parsw<n><mode>}), with {@code --resolve-image never} and {@code always}, and the
 * normalised inspect output of every service, network, config and secret must be equal, except for the
 * differences {@code docs/parity.md} lists as deliberate ({@link Deliberate}). A file the CLI rejects must be
 * rejected by Stackwarden for the same cause. A second Stackwarden deploy of the same files must write nothing
 * and keep every task.
 *
 * <p>A folder of {@code src/test/resources/parity/} holding a {@code stackwarden.yaml} is one case of several
 * compose files merged in order ({@code merge-<theme>/}, refused ones {@code negative-merge-<theme>/}): that file is
 * the stack's entry as it appears under {@code stacks.<name>} of a desired state's {@code stackwarden.yaml}, at least
 * {@code files: [compose.yaml, compose.override.yaml]} (paths relative to the folder, a subfolder allowed). The CLI
 * gets one {@code -c} per file in that order; Stackwarden reads the entry through its own {@code stackwarden.yaml}
 * (written at the desired state's root under the run's stack name) and loads the files itself. Data files are found
 * relative to the first file's folder, as the CLI finds them for every file.
 */
class ParityIT {

    /**
     * A token per run in every stack name: a manager may keep listing a removed overlay network for a while,
     * and a run right after another must not find the previous run's network under the same name.
     */
    private static final String RUN = Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36), 36);

    private static final Logger LOG = Logger.getLogger(ParityIT.class.getName());
    static final Path CORPUS = Path.of("..", "shared", "corpus").toAbsolutePath().normalize();
    static final Path OWN = Path.of("src", "test", "resources", "parity").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The file that makes a folder of {@link #OWN} one case of merged files. */
    static final String MERGE_ENTRY = "stackwarden.yaml";

    /** Files skipped on purpose, with the reason (relative path from the corpus or own folder). */
    static final Map<String, String> SKIPPED = Map.of();

    private static EngineApi api;
    private static CountingSwarmEngine engine;
    private static StackReconciler reconciler;
    private static Sweeper sweeper;
    private static Preparer.LabImages images;
    private static Path work;
    private static final List<String> REPORT = new ArrayList<>();

    /**
     * One case: a compose file, or a folder whose {@code stackwarden.yaml} (its text in {@code entry}) names the
     * files to merge ({@code files}; empty for a single file).
     */
    record Case(int index, String id, Path file, List<String> files, String entry) {
    }

    @BeforeAll
    static void connect() throws IOException {
        api = new EngineApi(Lab.dockerHost(), Duration.ofSeconds(30), JSON);
        engine = new CountingSwarmEngine(new HttpSwarmEngine(api));
        reconciler = Reconcilers.on(engine);
        sweeper = new Sweeper(api);
        String repository = Lab.registry() + "/stackwarden-lab/sleep";
        images = new Preparer.LabImages(repository,
                api.get("/distribution/" + repository + ":1/json").at("/Descriptor/digest").asText());
        assertTrue(images.digest().startsWith("sha256:"), "no digest for " + repository + ":1 in the lab registry");
        sweeper.forgetNothingFromEarlierRuns();
        // Stack names repeat from run to run: what an earlier, interrupted run left must be gone first.
        assertEquals(List.of(), sweeper.settle(120), "objects of an earlier run that could not be removed");
        work = Files.createTempDirectory("parity");
    }

    @AfterAll
    static void cleanUp() throws IOException {
        try {
            List<String> left = sweeper == null ? List.of() : sweeper.settle(90);
            LOG.info("parity summary:\n  " + String.join("\n  ", REPORT));
            assertEquals(List.of(), left, "objects the suite could not remove");
        } finally {
            if (api != null) {
                api.close();
            }
            if (work != null) {
                try (Stream<Path> files = Files.walk(work)) {
                    files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                }
            }
        }
    }

    static List<Case> cases() throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path dir : List.of(CORPUS, OWN)) {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.filter(Files::isRegularFile)
                        .filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml"))
                        .sorted().forEach(files::add);
            }
        }
        assertTrue(files.size() > 20, "the corpus is missing: " + CORPUS);
        // A folder with its own stackwarden.yaml is one case of merged files: its files are not cases of their own.
        List<Path> merged = files.stream().filter(p -> p.startsWith(OWN) && p.getFileName().toString().equals(MERGE_ENTRY))
                .map(Path::getParent).toList();
        List<Path> sources = new ArrayList<>(merged);
        files.stream().filter(p -> merged.stream().noneMatch(p::startsWith)).forEach(sources::add);
        sources.sort(null);
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            Path source = sources.get(i);
            String id = source.startsWith(CORPUS) ? "corpus/" + CORPUS.relativize(source) : "own/" + OWN.relativize(source);
            if (merged.contains(source)) {
                String entry = Files.readString(source.resolve(MERGE_ENTRY));
                cases.add(new Case(i, id, source, mergedFiles(entry, source), entry));
            } else {
                cases.add(new Case(i, id, source, List.of(), ""));
            }
        }
        return cases;
    }

    /** The {@code files} of a merge case's stack entry. */
    private static List<String> mergedFiles(String entry, Path folder) {
        Object parsed = new Load(LoadSettings.builder().build()).loadFromString(entry);
        if (parsed instanceof Map<?, ?> map && map.get("files") instanceof List<?> list && list.size() > 1) {
            return list.stream().map(String::valueOf).toList();
        }
        throw new IllegalStateException(folder.resolve(MERGE_ENTRY) + ": needs files: [at least two compose files]");
    }

    /** Prepares the case's files in {@code stackDir}; a merge case also gets its stack entry in the root's settings. */
    private static Preparer.Prepared prepare(Case c, Path stackDir) throws IOException {
        if (c.files().isEmpty()) {
            return Preparer.prepare(c.file(), stackDir, images);
        }
        Path settings = Files.createDirectories(stackDir.getParent()).resolve(MERGE_ENTRY);
        String stack = "  " + stackDir.getFileName() + ":\n" + c.entry().strip().indent(4);
        Files.writeString(settings, Files.exists(settings) ? Files.readString(settings) + stack : "stacks:\n" + stack);
        return Preparer.prepare(c.file(), c.files(), stackDir, images);
    }

    /** The CLI's arguments: {@code command}, one {@code -c} per prepared file in order, then {@code tail}. */
    private static String[] cliArgs(List<String> command, Preparer.Prepared prepared, String... tail) {
        List<String> args = new ArrayList<>(command);
        prepared.composeFiles().forEach(file -> args.addAll(List.of("-c", file)));
        args.addAll(List.of(tail));
        return args.toArray(String[]::new);
    }

    @TestFactory
    Stream<DynamicNode> parity() throws IOException {
        List<Case> cases = cases();
        // -Dparity.only=a,b runs the cases whose id contains one of the comma-separated parts.
        List<String> only = Stream.of(System.getProperty("parity.only", "").split(","))
                .filter(part -> !part.isBlank()).toList();
        return Stream.of(ResolveImage.NEVER, ResolveImage.ALWAYS).map(mode -> DynamicContainer.dynamicContainer(
                "resolve-image " + mode.name().toLowerCase(Locale.ROOT),
                cases.stream().filter(c -> only.isEmpty() || only.stream().anyMatch(c.id()::contains))
                        .map(c -> DynamicTest.dynamicTest(c.id(), () -> run(c, mode)))));
    }

    private static void run(Case c, ResolveImage mode) throws Exception {
        try {
            compare(c, mode);
        } catch (AssertionError e) {
            report(c.id() + " [" + mode.name().toLowerCase(Locale.ROOT) + "]: FAILED: " + e.getMessage());
            throw new AssertionError(c.id() + " [resolve-image " + mode.name().toLowerCase(Locale.ROOT) + "]: "
                    + e.getMessage(), e);
        }
    }

    private static void compare(Case c, ResolveImage mode) throws Exception {
        String skip = SKIPPED.get(c.id());
        if (skip != null) {
            report(c.id() + ": skipped: " + skip);
            org.junit.jupiter.api.Assumptions.abort(skip);
        }
        long start = System.nanoTime();
        String word = mode.name().toLowerCase(Locale.ROOT);
        String suffix = c.index() + word.substring(0, 1);
        String cli = "parcli" + RUN + suffix;
        String sw = "parsw" + RUN + suffix;
        Path root = work.resolve(suffix);
        Preparer.Prepared prepared = prepare(c, root.resolve(sw));
        Preparer.Prepared cliCopy = prepare(c, root.resolve(cli));
        Path dir = cliCopy.stackDir();
        sweeper.retry();

        // 1. Offline: does the CLI load the file? Then Stackwarden must load it too, or refuse it for the same cause.
        Cli.Result config = Cli.docker(dir, cliArgs(List.of("stack", "config"), cliCopy));
        StackTarget compiled = compile(root, sw);
        if (!config.ok() || compiled.error != null) {
            // Refused offline by either: the CLI's deploy (which loads and converts, then stops at the first
            // error) must refuse it too, for the cause Stackwarden names.
            for (Preparer.External external : prepared.externals()) {
                createExternal(external);
            }
            Cli.Result deploy = Cli.docker(dir, cliArgs(List.of("stack", "deploy", "--detach=true", "--resolve-image", word), cliCopy, cli));
            sweeper.removeStack(cli);
            for (Preparer.External external : prepared.externals()) {
                sweeper.removeExternal(external.kind().toString(), external.name());
            }
            String cliMessage = deploy.ok() ? config.output() : deploy.output();
            if (compiled.error == null) {
                fail("the CLI refuses the file, Stackwarden loads it:\n" + cliMessage);
            }
            if (deploy.ok()) {
                fail("the CLI deploys the file, Stackwarden refuses it: " + compiled.error.getMessage());
            }
            List<String> missing = Causes.missing(cliMessage, compiled.error.getMessage());
            assertEquals(List.of(), missing, "not the same cause:\n  cli: " + cliMessage.trim()
                    + "\n  stackwarden: " + compiled.error.getMessage());
            report(c.id() + " [" + word + "]: negative" + (config.ok() ? " at deploy" : "") + " (both refuse): "
                    + Causes.phrases(cliMessage));
            expectNegative(c);
            return;
        }

        for (Preparer.External external : prepared.externals()) {
            createExternal(external);
        }
        List<String> differences = new ArrayList<>();
        List<String> allowed = new ArrayList<>();
        int compared = 0;
        try {
            // 2. docker stack deploy, inspect, remove.
            Cli.Result deploy = Cli.docker(dir, cliArgs(List.of("stack", "deploy", "--detach=true", "--resolve-image", word), cliCopy, cli));
            StackSnapshot cliSnapshot = StackSnapshot.take(api, cli, List.of(cli, sw));
            sweeper.removeStack(cli);
            if (requestedSubnets(cliSnapshot)) {
                // The same subnet cannot be used twice: wait for the CLI's networks.
                assertTrue(sweeper.awaitNetworksGone(cli, 60), "the CLI's networks were not removed in time");
            }

            // 3. Stackwarden, inspect, a second deploy that must write nothing.
            engine.reset();
            ReconcileResult first = reconciler.reconcile(compiled.target, new StackReconciler.Settings(mode, true, false));
            if (!deploy.ok()) {
                sweeper.removeStack(sw);
                assertTrue(first.outcome() != ReconcileResult.Outcome.APPLIED && first.outcome() != ReconcileResult.Outcome.IN_SYNC,
                        "the engine refused the CLI's deploy, Stackwarden's was applied:\n" + deploy.output());
                List<String> missing = Causes.missing(deploy.output(), first.message());
                assertEquals(List.of(), missing, "not the same cause:\n  cli: " + deploy.output().trim()
                        + "\n  stackwarden: " + first.message());
                report(c.id() + " [" + word + "]: negative at deploy (both refuse): " + Causes.phrases(deploy.output()));
                expectNegative(c);
                return;
            }
            assertEquals(ReconcileResult.Outcome.APPLIED, first.outcome(), first.message());
            StackSnapshot swSnapshot = StackSnapshot.take(api, sw, List.of(cli, sw));
            assertTrue(!cliSnapshot.services.isEmpty(), "the CLI's deploy created no service:\n" + deploy.output());
            compared = cliSnapshot.objects.size();
            Map<String, Set<String>> tasks = tasks(swSnapshot, true);
            engine.reset();
            ReconcileResult second = reconciler.reconcile(compiled.target, new StackReconciler.Settings(mode, true, false));
            List<String> writes = engine.writes();
            Map<String, Set<String>> tasksAfter = tasks(swSnapshot, false);
            StackSnapshot swAgain = StackSnapshot.take(api, sw, List.of(cli, sw));

            // 4. Remove Stackwarden's stack by reconciling an empty target.
            reconciler.reconcile(new TargetState(sw, "cleanup", List.of(), List.of()), new StackReconciler.Settings(mode, true, false));
            sweeper.removeStack(sw);

            assertEquals(ReconcileResult.Outcome.IN_SYNC, second.outcome(), "second deploy: " + second.message() + " "
                    + second.writes().stream().map(w -> w.name() + " " + w.changes()).toList());
            assertEquals(List.of(), writes, "the second deploy wrote");
            for (Map.Entry<String, JsonNode> service : swSnapshot.services.entrySet()) {
                // Not the version: the allocator bumps it on its own after a create.
                JsonNode again = swAgain.services.get(service.getKey());
                assertEquals(service.getValue().path("Spec"), again.path("Spec"),
                        "service " + service.getKey() + " was changed by the second deploy");
                assertTrue(again.path("PreviousSpec").isMissingNode(), "service " + service.getKey() + " was updated");
                Set<String> lost = new TreeSet<>(tasks.get(service.getKey()));
                lost.removeAll(tasksAfter.getOrDefault(service.getKey(), Set.of()));
                assertEquals(Set.of(), lost, "tasks of " + service.getKey() + " gone after the second deploy");
            }

            // 5. Compare.
            Set<String> names = new TreeSet<>(cliSnapshot.objects.keySet());
            names.addAll(swSnapshot.objects.keySet());
            for (String name : names) {
                JsonNode a = cliSnapshot.objects.get(name);
                JsonNode b = swSnapshot.objects.get(name);
                if (a == null || b == null) {
                    differences.add(name + ": only " + (a == null ? "Stackwarden" : "the CLI") + " created it");
                    continue;
                }
                for (JsonDiff.Difference d : JsonDiff.diff(a, b)) {
                    var rule = Deliberate.allowing(new Deliberate.Found(name, d));
                    if (rule.isPresent()) {
                        allowed.add(name + " " + d.pointer() + " (parity.md #" + rule.get().row() + ")");
                    } else {
                        differences.add(name + " " + d);
                    }
                }
            }
        } finally {
            for (Preparer.External external : prepared.externals()) {
                sweeper.removeExternal(external.kind().toString(), external.name());
            }
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        report(c.id() + " [" + word + "]: " + compared + " objects compared in " + millis + " ms"
                + (prepared.notes().isEmpty() ? "" : "; prepared: " + prepared.notes())
                + (allowed.isEmpty() ? "" : "; deliberate: " + allowed)
                + (differences.isEmpty() ? "" : "; DIFFERENT: " + differences.size()));
        if (!differences.isEmpty()) {
            fail(differences.size() + " difference(s) between docker stack deploy and Stackwarden:\n  "
                    + String.join("\n  ", differences));
        }
    }

    /** Our own cases say what they are: only a {@code negative-*} file or folder may be refused by both tools. */
    private static void expectNegative(Case c) {
        if (c.id().startsWith("own/") && !c.file().getFileName().toString().startsWith("negative-")) {
            fail("both tools refuse a case written to deploy");
        }
    }

    private static void report(String line) {
        REPORT.add(line);
        LOG.info(line);
    }

    /** Stackwarden's target, or the reason it refuses the files. */
    record StackTarget(TargetState target, ComposeException error) {
    }

    private static StackTarget compile(Path root, String stack) throws Exception {
        DesiredState state = new DesiredStateReader().read(root);
        DesiredStack desired = state.stack(stack).orElseThrow();
        try {
            StackCompiler.Compiled compiled = new StackCompiler().compile(desired.input(state.root(), System.getenv()));
            return new StackTarget(TargetState.of(stack, "r1", compiled.objects()), null);
        } catch (ComposeException e) {
            return new StackTarget(null, e);
        }
    }

    private static boolean requestedSubnets(StackSnapshot snapshot) {
        return snapshot.objects.entrySet().stream().filter(e -> e.getKey().startsWith("network "))
                .anyMatch(e -> {
                    for (JsonNode config : e.getValue().at("/IPAM/Config")) {
                        if (!config.path("Subnet").asText(StackSnapshot.ALLOCATED).equals(StackSnapshot.ALLOCATED)) {
                            return true;
                        }
                    }
                    return false;
                });
    }

    private static void createExternal(Preparer.External external) {
        ObjectNode body = JSON.createObjectNode().put("Name", external.name());
        if (external.kind() == SwarmObject.Kind.NETWORK) {
            body.put("Driver", "overlay").put("Attachable", true);
        } else {
            body.put("Data", java.util.Base64.getEncoder().encodeToString("external\n".getBytes()));
        }
        if (engine.find(external.kind(), external.name()).isEmpty()) {
            api.post("/" + external.kind() + "s/create", body);
        }
    }

    /**
     * Task IDs per service. The first time, waits briefly until the orchestrator has created the tasks of
     * every service that should have some; tasks need not be running.
     */
    private static Map<String, Set<String>> tasks(StackSnapshot snapshot, boolean await) {
        Map<String, Set<String>> out = new TreeMap<>();
        long end = System.nanoTime() + 10_000_000_000L;
        for (Map.Entry<String, JsonNode> service : snapshot.services.entrySet()) {
            JsonNode mode = service.getValue().at("/Spec/Mode");
            boolean expectTasks = !mode.has("Replicated") || mode.at("/Replicated/Replicas").asInt(1) > 0;
            Set<String> ids = new TreeSet<>();
            while (true) {
                ids.clear();
                api.get("/tasks?filters=" + StackSnapshot.filter("service", service.getValue().path("ID").asText()))
                        .forEach(task -> ids.add(task.path("ID").asText()));
                if (!await || !expectTasks || !ids.isEmpty() || System.nanoTime() > end) {
                    break;
                }
                Sweeper.sleep(200);
            }
            out.put(service.getKey(), ids);
        }
        return out;
    }
}
