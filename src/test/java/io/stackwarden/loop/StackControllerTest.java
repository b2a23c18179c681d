package io.stackwarden.loop;

import io.stackwarden.reconcile.Reconcilers;
import io.stackwarden.compose.StackCompiler;
import io.stackwarden.desired.DesiredSource;
import io.stackwarden.desired.DesiredStateReader;
import io.stackwarden.reconcile.StackReconciler;
import io.stackwarden.remedy.NetworkNotFoundRemedy;
import io.stackwarden.remedy.RemedyInput;
import io.stackwarden.remedy.RemedyReport;
import io.stackwarden.remedy.RemedyStatus;
import io.stackwarden.support.Backoff;
import io.stackwarden.support.ManualClock;
import io.stackwarden.swarm.CountingSwarmEngine;
import io.stackwarden.swarm.FakeSwarm;
import io.stackwarden.swarm.SwarmObject;
import io.stackwarden.swarm.TaskInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A pass from the desired-state folder to the (fake) swarm: bad input changes nothing and stops nothing else. */
class StackControllerTest {

    @TempDir
    Path root;

    private final FakeSwarm swarm = new FakeSwarm();
    private final CountingSwarmEngine engine = new CountingSwarmEngine(swarm);
    private final StatusStore statuses = new StatusStore();
    private final SuspendOverrides overrides = new SuspendOverrides();
    private final ManualClock remedyClock = new ManualClock();
    /** Retries 1 ms after a failure was seen, so that a pass 1 ms later makes it. */
    private final NetworkNotFoundRemedy remedy = new NetworkNotFoundRemedy(engine,
            new Backoff(Duration.ofMillis(1), Duration.ofMillis(1), () -> 1.0), 3, remedyClock, () -> { });
    private int maxStackRemovals = 3;

    private StackController controller() {
        StackReconciler reconciler = Reconcilers.on(engine);
        return new StackController(DesiredSource.folder(root), new DesiredStateReader(), new StackCompiler(), reconciler,
                engine, statuses, overrides, Map.of("TAG", "1"), Clock.systemUTC(), maxStackRemovals, remedy);
    }

    private void stack(String name, String compose) throws Exception {
        Files.createDirectories(root.resolve(name));
        Files.writeString(root.resolve(name).resolve("compose.yaml"), compose);
    }

    private static final String APP = "services:\n  app:\n    image: app:${TAG}\n    environment:\n      NAME: ${STACK_NAME}\n";

    /** {@code docker service scale shop_app=N}, behind Stackwarden's back. */
    private void scaleByHand(int replicas) {
        swarm.tamper(SwarmObject.Kind.SERVICE, "shop_app", spec -> ((com.fasterxml.jackson.databind.node.ObjectNode)
                spec.at("/Mode/Replicated")).put("Replicas", replicas));
    }

    private PassResult pass(String stack) {
        engine.reset();
        return controller().reconcile(stack, Set.of(Trigger.MANUAL));
    }

    @Test
    void deploysAStackAndASecondPassWritesNothing() throws Exception {
        stack("shop", APP);
        assertEquals(PassResult.Next.DONE, pass("shop").next());
        assertEquals(List.of("create network shop_default", "create service shop_app"), engine.writes());
        String env = swarm.find(SwarmObject.Kind.SERVICE, "shop_app").orElseThrow().spec().at("/TaskTemplate/ContainerSpec/Env/0").asText();
        assertEquals("NAME=shop", env);
        pass("shop");
        assertEquals(List.of(), engine.writes());
        StackStatus status = statuses.get("shop").orElseThrow();
        assertEquals(StackStatus.Sync.SYNCED, status.sync());
        assertEquals(StackStatus.Health.HEALTHY, status.health());
        assertTrue(status.revisionApplied().startsWith("dir:"));
    }

    @Test
    void brokenFilesChangeNothingAndSayWhere() throws Exception {
        stack("shop", APP);
        pass("shop");
        Files.writeString(root.resolve("shop/compose.yaml"), "services:\n  app:\n    image: app:1\n    replicas: [\n");
        PassResult result = pass("shop");
        assertEquals(PassResult.Next.WAIT_FOR_CHANGE, result.next());
        assertTrue(result.message().contains("compose.yaml"), result.message());
        assertEquals(List.of(), engine.writes());
        assertTrue(swarm.find(SwarmObject.Kind.SERVICE, "shop_app").isPresent());
    }

    @Test
    void missingVariableIsAnErrorOfThatStackOnly() throws Exception {
        stack("shop", "services:\n  app:\n    image: app:${MISSING:?set MISSING}\n");
        stack("blog", APP);
        assertEquals(PassResult.Next.WAIT_FOR_CHANGE, pass("shop").next());
        assertTrue(statuses.get("shop").orElseThrow().message().contains("MISSING"));
        assertEquals(PassResult.Next.DONE, pass("blog").next());
        assertTrue(swarm.find(SwarmObject.Kind.SERVICE, "blog_app").isPresent());
    }

    @Test
    void aBindSourceOutsideTheOperatorsPolicyRefusesThatStackOnlyAndChangesNothing() throws Exception {
        Files.writeString(root.resolve("stackwarden.yaml"),
                "defaults: {bindSources: [/srv]}\nstacks:\n  agent: {bindSources: [/var/run/docker.sock]}\n");
        String mounting = APP + "    volumes: [\"/var/run/docker.sock:/var/run/docker.sock:ro\"]\n";
        stack("shop", APP);
        pass("shop");
        stack("shop", mounting);
        PassResult refused = pass("shop");
        assertEquals(PassResult.Next.WAIT_FOR_CHANGE, refused.next());
        assertTrue(refused.message().contains("stack shop, service app: bind mount source \"/var/run/docker.sock\" is not "
                + "allowed by bindSources in stackwarden.yaml (allowed: /srv)"), refused.message());
        assertEquals(List.of(), engine.writes());
        assertTrue(swarm.find(SwarmObject.Kind.SERVICE, "shop_app").orElseThrow().spec()
                .at("/TaskTemplate/ContainerSpec/Mounts").isMissingNode(), "the running stack is left as it was");

        // The stack the operator allowed the socket deploys it exactly as written.
        stack("agent", mounting);
        assertEquals(PassResult.Next.DONE, pass("agent").next());
        assertEquals("/var/run/docker.sock", swarm.find(SwarmObject.Kind.SERVICE, "agent_app").orElseThrow().spec()
                .at("/TaskTemplate/ContainerSpec/Mounts/0/Source").asText());
    }

    @Test
    void aDegradedStackIsLookedAtAgainUntilSwarmHasRestartedItsTasks() throws Exception {
        stack("shop", APP);
        pass("shop");
        String service = swarm.find(SwarmObject.Kind.SERVICE, "shop_app").orElseThrow().id();
        swarm.tasks.put("shop_app", List.of(new TaskInfo("t1", service, "n2", "1", "shutdown", "failed",
                "task: non-zero exit (1)", "", Instant.now())));
        PassResult degraded = pass("shop");
        assertEquals(StackStatus.Health.DEGRADED, statuses.get("shop").orElseThrow().health());
        assertEquals(PassResult.Next.CHECK_SOON, degraded.next(), "no task events: only a look shows the restart");

        swarm.tasks.remove("shop_app"); // swarm restarted it: one running task again
        assertEquals(PassResult.Next.DONE, pass("shop").next());
        assertEquals(StackStatus.Health.HEALTHY, statuses.get("shop").orElseThrow().health());
    }

    @Test
    void whileQuorumIsLostNoPassWritesAndEachRetries() throws Exception {
        stack("shop", APP);
        stack("blog", APP);
        pass("blog");
        java.util.concurrent.atomic.AtomicReference<String> refusal = new java.util.concurrent.atomic.AtomicReference<>(
                "quorum lost: 1 of 3 managers reachable");
        StackController held = new StackController(DesiredSource.folder(root), new DesiredStateReader(), new StackCompiler(),
                Reconcilers.on(engine), engine, statuses, overrides, Map.of("TAG", "1"), Clock.systemUTC(),
                maxStackRemovals, remedy, ImageUpdates.NONE, WriteGate.held(() -> java.util.Optional.ofNullable(refusal.get())));
        Files.walk(root.resolve("blog")).sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        engine.reset();
        for (String stack : List.of("shop", "blog")) {
            PassResult result = held.reconcile(stack, Set.of(Trigger.MANUAL));
            assertEquals(PassResult.Next.RETRY, result.next(), stack);
            assertEquals("no write: quorum lost: 1 of 3 managers reachable", result.message(), stack);
        }
        assertEquals(List.of(), engine.writes(), "neither the new stack nor the removal");

        refusal.set(null);
        assertEquals(PassResult.Next.DONE, held.reconcile("shop", Set.of(Trigger.MANUAL)).next());
        assertTrue(swarm.find(SwarmObject.Kind.SERVICE, "shop_app").isPresent());
    }

    @Test
    void removedFolderPrunesTheStack() throws Exception {
        stack("shop", APP);
        stack("blog", APP);
        pass("shop");
        try (Stream<Path> files = Files.walk(root.resolve("shop"))) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        pass("shop");
        assertEquals(List.of("remove service id2", "remove network id1"), engine.writes());
        assertTrue(statuses.get("shop").isEmpty());
    }

    @Test
    void anEmptiedDesiredStatePrunesNothingWithoutAllowEmpty() throws Exception {
        stack("shop", APP);
        pass("shop");
        try (Stream<Path> files = Files.walk(root.resolve("shop"))) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        assertEquals(PassResult.Next.WAIT_FOR_CHANGE, pass("shop").next());
        assertEquals(List.of(), engine.writes());
        Files.writeString(root.resolve("stackwarden.yaml"), "allowEmpty: true\n");
        pass("shop");
        assertEquals(2, engine.writes().size());
    }

    @Test
    void aMissingDesiredDirectoryIsRetriedAndChangesNothing() throws Exception {
        stack("shop", APP);
        pass("shop");
        Path moved = root.resolveSibling(root.getFileName() + "-moved");
        Files.move(root, moved);
        try {
            PassResult result = pass("shop");
            assertEquals(PassResult.Next.RETRY, result.next());
            assertEquals(List.of(), engine.writes());
        } finally {
            Files.move(moved, root);
        }
    }

    @Test
    void suspendedStacksAreLeftAlone() throws Exception {
        stack("shop", APP);
        pass("shop");
        scaleByHand(0);
        overrides.suspend("shop");
        pass("shop");
        assertEquals(List.of(), engine.writes());
        assertEquals(StackStatus.Health.SUSPENDED, statuses.get("shop").orElseThrow().health());
        assertEquals(StackStatus.Sync.OUT_OF_SYNC, statuses.get("shop").orElseThrow().sync());
        // Zero replicas canonicalise to no mode at all (Go drops zero values), so the whole mode differs.
        assertEquals(List.of("/Mode"), statuses.get("shop").orElseThrow().services().get(0).differences());
        overrides.resume("shop");
        pass("shop");
        assertEquals(List.of("update service shop_app"), engine.writes());
    }

    @Test
    void ignoredReplicasStayAsScaledByHand() throws Exception {
        stack("shop", APP);
        Files.writeString(root.resolve("stackwarden.yaml"), "stacks:\n  shop:\n    ignore: [replicas]\n");
        pass("shop");
        scaleByHand(5);
        pass("shop");
        assertEquals(List.of(), engine.writes());
    }

    @Test
    void withoutSelfHealDriftStaysButNewFilesAreApplied() throws Exception {
        stack("shop", APP);
        Files.writeString(root.resolve("stackwarden.yaml"), "defaults:\n  selfHeal: false\n");
        pass("shop");
        scaleByHand(3);
        engine.reset();
        controller().reconcile("shop", Set.of(Trigger.RESYNC));
        assertEquals(List.of(), engine.writes(), "drift is reported, not undone");
        assertEquals(StackStatus.Sync.OUT_OF_SYNC, statuses.get("shop").orElseThrow().sync());

        Files.writeString(root.resolve("shop/compose.yaml"), APP + "    labels:\n      tier: front\n");
        engine.reset();
        controller().reconcile("shop", Set.of(Trigger.RESYNC));
        assertEquals(List.of("update service shop_app"), engine.writes(), "a new revision of the files is applied");
    }

    /** Without self-heal, a pass that only reports still comes back while tasks are short, as an apply does. */
    @Test
    void withoutSelfHealADegradedStackIsStillLookedAtAgain() throws Exception {
        stack("shop", APP);
        Files.writeString(root.resolve("stackwarden.yaml"), "defaults:\n  selfHeal: false\n");
        pass("shop");
        String service = swarm.find(SwarmObject.Kind.SERVICE, "shop_app").orElseThrow().id();
        swarm.tasks.put("shop_app", List.of(new TaskInfo("t1", service, "n2", "1", "shutdown", "failed",
                "task: non-zero exit (1)", "", Instant.now())));
        PassResult degraded = controller().reconcile("shop", Set.of(Trigger.CONVERGING));
        assertEquals(StackStatus.Health.DEGRADED, statuses.get("shop").orElseThrow().health());
        assertEquals(PassResult.Next.CHECK_SOON, degraded.next());

        swarm.tasks.remove("shop_app");
        assertEquals(PassResult.Next.DONE, controller().reconcile("shop", Set.of(Trigger.CONVERGING)).next());
        assertEquals(StackStatus.Health.HEALTHY, statuses.get("shop").orElseThrow().health());
    }

    @Test
    void invalidFolderNameIsAnErrorOfThatFolder() throws Exception {
        stack("bad.name", APP);
        PassResult result = pass("bad.name");
        assertEquals(PassResult.Next.WAIT_FOR_CHANGE, result.next());
        assertTrue(result.message().contains("invalid stack name"), result.message());
        assertEquals(List.of(), engine.writes());
    }

    @Test
    void aServiceWhoseTasksFailForTheirNetworkIsRetriedAndTheStatusSaysSo() throws Exception {
        stack("shop", APP);
        pass("shop");
        String service = swarm.find(SwarmObject.Kind.SERVICE, "shop_app").orElseThrow().id();
        swarm.tasks.put("shop_app", List.of(new TaskInfo("t1", service, "n2", "1", "shutdown", "rejected",
                "network shop_default not found", "", Instant.now())));

        PassResult seen = pass("shop");
        assertEquals(PassResult.Next.CHECK_SOON, seen.next(), "comes back while a retry is pending");
        assertTrue(seen.message().contains("service shop_app: tasks failed with 'network shop_default not found'; retry 1/3"),
                seen.message());
        assertEquals(List.of(), engine.writes());
        assertEquals(List.of(new RemedyStatus(NetworkNotFoundRemedy.NAME, RemedyStatus.WAITING, 0, 3,
                "network shop_default not found")), statuses.get("shop").orElseThrow().services().get(0).remedies(),
                "the status says so per service, not only in the message");

        remedyClock.advance(Duration.ofMillis(1));
        PassResult retried = pass("shop");
        assertEquals(List.of("update service shop_app"), engine.writes());
        assertEquals(PassResult.Next.CHECK_SOON, retried.next());
        assertTrue(statuses.get("shop").orElseThrow().message()
                .endsWith("in sync; retried service shop_app after 'network shop_default not found' (1/3)"),
                statuses.get("shop").orElseThrow().message());

        PassResult after = pass("shop");
        assertEquals(List.of(), engine.writes(), "the forced update is no drift, and the old failure no new retry");
        assertTrue(after.message().contains("retried service shop_app after a network-not-found failure (1/3)"), after.message());
        assertEquals(List.of(new RemedyStatus(NetworkNotFoundRemedy.NAME, RemedyStatus.RETRIED, 1, 3, "")),
                statuses.get("shop").orElseThrow().services().get(0).remedies());
    }

    @Test
    void aPassReadsTheTasksOfEachServiceOnceForHealthAndRemedyAlike() throws Exception {
        stack("shop", APP);
        pass("shop");
        String service = swarm.find(SwarmObject.Kind.SERVICE, "shop_app").orElseThrow().id();
        pass("shop");
        assertEquals(List.of(service), engine.taskReads());
    }

    private void removeFolder(String name) throws Exception {
        try (Stream<Path> files = Files.walk(root.resolve(name))) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    private PassResult pass(String stack, Trigger trigger) {
        engine.reset();
        return controller().reconcile(stack, Set.of(trigger));
    }

    @Test
    void aFailedRevisionWaitsForANewRevisionOrAManualSyncNotForEventsOrResyncs() throws Exception {
        stack("shop", "services:\n  app:\n    image: app:1\n    replicas: [\n");
        assertEquals(PassResult.Next.WAIT_FOR_CHANGE, pass("shop", Trigger.SOURCE_CHANGE).next());
        StackStatus failed = statuses.get("shop").orElseThrow();
        assertTrue(failed.revisionAttempted().startsWith("dir:"), "the failed revision is the attempted one");
        assertEquals("", failed.revisionApplied());

        for (Trigger trigger : List.of(Trigger.ENGINE_EVENT, Trigger.RESYNC, Trigger.CONVERGING)) {
            PassResult skipped = pass("shop", trigger);
            assertEquals(PassResult.Next.WAIT_FOR_CHANGE, skipped.next());
            assertTrue(skipped.message().contains("waiting for a new revision or a manual sync"), skipped.message());
            assertSame(failed, statuses.get("shop").orElseThrow(), trigger + " does not attempt the failed revision again");
        }
        pass("shop", Trigger.MANUAL);
        assertEquals(Set.of(Trigger.MANUAL), statuses.get("shop").orElseThrow().lastOperation().triggers(),
                "a manual sync attempts it again");
        pass("shop", Trigger.STARTUP);
        assertEquals(Set.of(Trigger.STARTUP), statuses.get("shop").orElseThrow().lastOperation().triggers(),
                "so does a start-up or a take-over: the failure was saved, the daemon may be new");

        stack("shop", APP);
        assertEquals(PassResult.Next.DONE, pass("shop", Trigger.ENGINE_EVENT).next(), "a new revision is attempted on any trigger");
        assertEquals(List.of("create network shop_default", "create service shop_app"), engine.writes());
    }

    @Test
    void moreStacksLeavingAtOnceThanAllowedWaitForAManualSync() throws Exception {
        maxStackRemovals = 1;
        for (String name : List.of("shop", "blog", "wiki")) {
            stack(name, APP);
            pass(name);
        }
        removeFolder("shop");
        removeFolder("blog");
        PassResult waiting = pass("shop", Trigger.SOURCE_CHANGE);
        assertEquals(PassResult.Next.WAIT_FOR_CHANGE, waiting.next());
        assertTrue(waiting.message().contains("2 stacks would be removed at once (blog, shop)"), waiting.message());
        assertTrue(waiting.message().contains("max-stack-removals=1"), waiting.message());
        assertEquals(List.of(), engine.writes());
        assertEquals(StackStatus.Sync.OUT_OF_SYNC, statuses.get("shop").orElseThrow().sync());

        assertEquals(PassResult.Next.DONE, pass("shop", Trigger.MANUAL).next(), "a manual sync removes it");
        assertEquals(2, engine.writes().size());
        assertEquals(PassResult.Next.DONE, pass("blog", Trigger.RESYNC).next(), "one stack leaving is within the limit");
        assertEquals(2, engine.writes().size());
        assertTrue(swarm.find(SwarmObject.Kind.SERVICE, "wiki_app").isPresent());
    }

    @Test
    void aRemovedFolderFollowsItsOwnPruneSettingAndStacksKeptAnywayDoNotCountAgainstTheLimit() throws Exception {
        maxStackRemovals = 1;
        for (String name : List.of("shop", "blog", "wiki", "docs")) {
            stack(name, APP);
            pass(name);
        }
        Files.writeString(root.resolve("stackwarden.yaml"), "defaults: {prune: false}\nstacks:\n  shop: {prune: true}\n");
        removeFolder("shop");
        removeFolder("blog");
        removeFolder("wiki");

        PassResult kept = pass("blog", Trigger.SOURCE_CHANGE);
        assertTrue(kept.message().contains("prune is off"), kept.message());
        assertEquals(PassResult.Next.DONE, pass("shop", Trigger.SOURCE_CHANGE).next(), "blog and wiki stay, so one stack leaves");
        assertTrue(swarm.find(SwarmObject.Kind.SERVICE, "shop_app").isEmpty(), "shop removed");
        assertTrue(swarm.find(SwarmObject.Kind.SERVICE, "blog_app").isPresent(), "blog kept");
    }

    @Test
    void aStatusOfAStackThatExistsNowhereIsKnownAndItsPassDropsIt() throws Exception {
        stack("blog", APP);
        statuses.put(StackStatus.unknown("ghost")); // e.g. restored from the saved state of an earlier leader
        assertTrue(controller().knownStacks().contains("ghost"), "a shown stack gets a pass");

        PassResult result = pass("ghost", Trigger.STARTUP);
        assertEquals(PassResult.Next.DONE, result.next(), result.message());
        assertTrue(statuses.get("ghost").isEmpty(), "no longer shown");
        assertEquals(List.of(), engine.writes());
        assertEquals(Set.of("blog"), controller().knownStacks());
    }

    @Test
    void whileTheEngineDoesNotAnswerAShownStackGoneFromTheFilesKeepsItsStatus() throws Exception {
        stack("blog", APP);
        statuses.put(StackStatus.unknown("ghost"));
        engine.unplug();
        PassResult result = pass("ghost", Trigger.STARTUP);
        assertEquals(PassResult.Next.RETRY, result.next(), result.message());
        assertTrue(statuses.get("ghost").isPresent(), "nothing is dropped on what the swarm cannot tell");
        engine.plugIn();
        pass("ghost", Trigger.RETRY);
        assertTrue(statuses.get("ghost").isEmpty());
    }

    @Test
    void aStackLeftUnprunedAndThenRemovedByHandIsNoLongerShown() throws Exception {
        Files.writeString(root.resolve("stackwarden.yaml"), "defaults: {prune: false}\n");
        stack("shop", APP);
        stack("blog", APP);
        pass("shop");
        removeFolder("shop");
        assertTrue(pass("shop", Trigger.SOURCE_CHANGE).message().contains("prune is off"));
        assertEquals(StackStatus.Sync.OUT_OF_SYNC, statuses.get("shop").orElseThrow().sync());

        swarm.find(SwarmObject.Kind.SERVICE, "shop_app").ifPresent(o -> swarm.remove(SwarmObject.Kind.SERVICE, o.id()));
        swarm.find(SwarmObject.Kind.NETWORK, "shop_default").ifPresent(o -> swarm.remove(SwarmObject.Kind.NETWORK, o.id()));
        pass("shop", Trigger.ENGINE_EVENT);
        assertTrue(statuses.get("shop").isEmpty(), "the stack exists nowhere: no status");
    }

    @Test
    void thePassTellsTheRemediesWhichServicesOptedInToTheRebalanceAndShowsWhatTheyDid() throws Exception {
        Files.writeString(root.resolve("stackwarden.yaml"), "stacks:\n  shop: {rebalance: [app, db]}\n");
        stack("shop", APP + "  db:\n    image: db:1\n    x-stackwarden: {rebalance: false}\n  web:\n    image: web:1\n"
                + "    x-stackwarden: {rebalance: true}\n");
        List<RemedyInput> seen = new java.util.ArrayList<>();
        RemedyStatus rebalanced = new RemedyStatus("rebalance", RemedyStatus.REBALANCED, 1, 0, "", "tasks per node were a=2 b=0");
        StackController controller = new StackController(DesiredSource.folder(root), new DesiredStateReader(),
                new StackCompiler(), Reconcilers.on(engine), engine, statuses, overrides, Map.of("TAG", "1"),
                Clock.systemUTC(), maxStackRemovals, input -> {
                    seen.add(input);
                    return new RemedyReport(List.of("rebalanced service shop_web"), false, Map.of("shop_web", List.of(rebalanced)));
                }, ImageUpdates.NONE, WriteGate.held(() -> java.util.Optional.of("quorum lost")));
        controller.reconcile("shop", Set.of(Trigger.SOURCE_CHANGE));
        assertEquals(List.of(), seen, "no pass applies while writes are held, so no remedy runs");

        StackController open = new StackController(DesiredSource.folder(root), new DesiredStateReader(),
                new StackCompiler(), Reconcilers.on(engine), engine, statuses, overrides, Map.of("TAG", "1"),
                Clock.systemUTC(), maxStackRemovals, input -> {
                    seen.add(input);
                    return new RemedyReport(List.of("rebalanced service shop_web"), false, Map.of("shop_web", List.of(rebalanced)));
                }, ImageUpdates.NONE, WriteGate.OPEN);
        PassResult result = open.reconcile("shop", Set.of(Trigger.SOURCE_CHANGE));
        assertEquals(Set.of("shop_app", "shop_web"), seen.get(0).rebalance(), "the stack's list, each service's own key over it");
        assertEquals(3, seen.get(0).services().size());
        assertTrue(result.message().endsWith("; rebalanced service shop_web"), result.message());
        StackStatus.ServiceStatus web = statuses.get("shop").orElseThrow().services().stream()
                .filter(service -> service.name().equals("shop_web")).findFirst().orElseThrow();
        assertEquals(List.of(rebalanced), web.remedies());
    }

    /** Every pass ends in one log line with what an operator greps for, and every status write reaches update listeners. */
    @Test
    void eachPassLogsOneLineAndEveryWriteReachesUpdateListeners() throws Exception {
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(Pass.class.getName());
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                lines.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(handler);
        List<String> updates = new java.util.concurrent.CopyOnWriteArrayList<>();
        statuses.onUpdate((before, after) -> updates.add(before.sync() + "->" + (after == null ? "removed" : after.sync())));
        try {
            stack("shop", APP);
            stack("blog", APP); // stays: a desired state with no stack at all prunes nothing
            pass("shop");
            pass("shop");
            Files.walk(root.resolve("shop")).sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            pass("shop");
        } finally {
            log.removeHandler(handler);
        }
        assertEquals(3, lines.size(), lines.toString());
        assertTrue(lines.get(0).matches("pass stack=shop trigger=MANUAL revision=dir:[0-9a-f]+ result=succeeded writes=2 "
                + "duration=\\d+ms sync=Synced health=Healthy: .*"), lines.get(0));
        assertTrue(lines.get(1).contains(" writes=0 "), lines.get(1));
        assertTrue(lines.get(2).startsWith("pass stack=shop trigger=MANUAL revision=- result=succeeded writes=2 "), lines.get(2));
        assertTrue(lines.get(2).contains(": stack removed: "), lines.get(2));
        assertEquals(List.of("Unknown->Synced", "Synced->Synced", "Synced->removed"), updates);
    }
}
