package io.stackwarden.loop;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwarden.compose.StackCompiler;
import io.stackwarden.compose.engine.StackLabels;
import io.stackwarden.desired.DesiredSource;
import io.stackwarden.desired.DesiredStateReader;
import io.stackwarden.reconcile.Ownership;
import io.stackwarden.reconcile.Reconcilers;
import io.stackwarden.remedy.NetworkNotFoundRemedy;
import io.stackwarden.swarm.CountingSwarmEngine;
import io.stackwarden.swarm.EngineException;
import io.stackwarden.swarm.FakeSwarm;
import io.stackwarden.swarm.SwarmObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stackwarden never manages, prunes or remedies its own stack (a folder of that name, a removal of everything, a
 * forced update of its own service), and a standby runs no pass at all: every write goes through the one gate.
 */
class SelfProtectionTest {

    private static final String OWN = "ops";
    private static final String APP = "services:\n  app:\n    image: app:1\n";

    @TempDir
    Path root;

    private final FakeSwarm swarm = new FakeSwarm();
    private final CountingSwarmEngine counted = new CountingSwarmEngine(swarm);
    private final AtomicReference<Optional<WriteGate.Refusal>> gate = new AtomicReference<>(Optional.empty());
    private final OwnStack own = OwnStack.of(Optional.of(OWN));
    /** Stackwarden's own records as {@code stackwarden.leader.name}'s default names them. */
    private static final Set<String> RECORDS = Set.of("stackwarden.lease", "stackwarden.state");
    private final GatedSwarmEngine engine = new GatedSwarmEngine(counted, gate::get, own, RECORDS, () -> { });
    private final StatusStore statuses = new StatusStore();

    private StackController controller() {
        return new StackController(DesiredSource.folder(root), new DesiredStateReader(), new StackCompiler(),
                Reconcilers.on(engine), engine, statuses, new SuspendOverrides(), Map.of(), Clock.systemUTC(), 3,
                NetworkNotFoundRemedy.withDefaults(engine, Clock.systemUTC(), () -> { }), ImageUpdates.NONE, gate::get, own);
    }

    private void folder(String stack) throws Exception {
        Files.createDirectories(root.resolve(stack));
        Files.writeString(root.resolve(stack).resolve("compose.yaml"), APP);
    }

    /** The own stack as deployed by hand: its service and network, with the stack label (and here even ours). */
    private void ownStackRunning() {
        ObjectNode network = JsonNodeFactory.instance.objectNode().put("Name", OWN + "_control").put("Driver", "overlay");
        network.putObject("Labels").put(StackLabels.NAMESPACE, OWN).put(Ownership.MANAGED_BY, Ownership.MANAGED_BY_VALUE);
        swarm.create(SwarmObject.Kind.NETWORK, network, Optional.empty());
        ObjectNode service = JsonNodeFactory.instance.objectNode().put("Name", OWN + "_operator");
        service.putObject("Labels").put(StackLabels.NAMESPACE, OWN).put(Ownership.MANAGED_BY, Ownership.MANAGED_BY_VALUE);
        service.putObject("TaskTemplate").putObject("ContainerSpec").put("Image", "stackwarden:1");
        swarm.create(SwarmObject.Kind.SERVICE, service, Optional.empty());
    }

    @Test
    void aFolderNamedLikeItsOwnStackIsRefusedWithAClearStatusAndNothingWritten() throws Exception {
        ownStackRunning();
        folder(OWN);
        folder("shop");
        counted.reset();
        PassResult result = controller().reconcile(OWN, Set.of(Trigger.MANUAL));
        assertEquals(PassResult.Next.WAIT_FOR_CHANGE, result.next());
        assertTrue(result.message().startsWith("refused: ops is the stack Stackwarden itself runs in"), result.message());
        assertEquals(result.message(), statuses.get(OWN).orElseThrow().message());
        assertEquals(List.of(), counted.writes());

        assertEquals(PassResult.Next.DONE, controller().reconcile("shop", Set.of(Trigger.MANUAL)).next(), "others go on");
        assertFalse(counted.writes().isEmpty());
    }

    @Test
    void aRemovalOfEveryStackNeverIncludesItsOwn() throws Exception {
        ownStackRunning();
        folder("shop");
        controller().reconcile("shop", Set.of(Trigger.MANUAL));
        assertEquals(Set.of("shop"), controller().knownStacks(), "its own stack is no stack to prune");
        Files.walk(root.resolve("shop")).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        Files.writeString(root.resolve("stackwarden.yaml"), "allowEmpty: true\n");
        counted.reset();
        controller().reconcile("shop", Set.of(Trigger.MANUAL));
        PassResult own = controller().reconcile(OWN, Set.of(Trigger.MANUAL));
        assertTrue(own.message().startsWith("refused"), own.message());
        assertTrue(swarm.find(SwarmObject.Kind.SERVICE, OWN + "_operator").isPresent());
        assertTrue(swarm.find(SwarmObject.Kind.NETWORK, OWN + "_control").isPresent());
        assertTrue(counted.writes().stream().noneMatch(w -> w.contains(OWN)), counted.writes().toString());
    }

    @Test
    void noWriteEverTouchesAnObjectOfItsOwnStack() {
        ownStackRunning();
        SwarmObject service = swarm.find(SwarmObject.Kind.SERVICE, OWN + "_operator").orElseThrow();
        SwarmObject network = swarm.find(SwarmObject.Kind.NETWORK, OWN + "_control").orElseThrow();
        counted.reset();
        // What a remedy's forced update of its own service would do, and a prune of its network.
        ObjectNode forced = service.spec().deepCopy();
        ((ObjectNode) forced.get("TaskTemplate")).put("ForceUpdate", 1);
        forced.remove("Labels");
        EngineException update = assertThrows(EngineException.class,
                () -> engine.update(SwarmObject.Kind.SERVICE, service.id(), service.version(), forced));
        assertEquals(403, update.status());
        assertTrue(update.getMessage().contains("the stack Stackwarden itself runs in"), update.getMessage());
        assertFalse(update.isTransient());
        assertThrows(EngineException.class, () -> engine.remove(SwarmObject.Kind.NETWORK, network.id()));
        ObjectNode labelled = JsonNodeFactory.instance.objectNode().put("Name", "x_cfg").put("Data", "eA==");
        labelled.putObject("Labels").put(StackLabels.NAMESPACE, OWN);
        assertThrows(EngineException.class, () -> engine.create(SwarmObject.Kind.CONFIG, labelled));
        assertEquals(List.of(), counted.writes(), "refused before the engine is asked");
    }

    @Test
    void noPassOrRemedyCreatesAnObjectNamedAsStackwardensOwnRecords() {
        ObjectNode planted = JsonNodeFactory.instance.objectNode().put("Name", "stackwarden.lease").put("Data", "eA==");
        planted.putObject("Labels").put("io.stackwarden.lease.holder", "evil").put(StackLabels.NAMESPACE, "shop");
        EngineException refused = assertThrows(EngineException.class, () -> engine.create(SwarmObject.Kind.CONFIG, planted));
        assertEquals(403, refused.status());
        assertTrue(refused.getMessage().contains("a record Stackwarden keeps itself"), refused.getMessage());
        assertEquals(List.of(), counted.writes(), "refused before the engine is asked");

        engine.create(SwarmObject.Kind.CONFIG, JsonNodeFactory.instance.objectNode().put("Name", "shop_lease").put("Data", "eA=="));
        assertEquals(1, counted.writes().size(), "other names are written");
    }

    @Test
    void aStandbyRunsNoPassAndLeavesTheStatusAlone() throws Exception {
        folder("shop");
        gate.set(Optional.of(new WriteGate.Refusal(WriteGate.Reason.STANDBY, "standby: the leader is m2/a")));
        PassResult result = controller().reconcile("shop", Set.of(Trigger.MANUAL));
        assertEquals(PassResult.Next.DONE, result.next());
        assertEquals("standby: the leader is m2/a", result.message());
        assertTrue(statuses.get("shop").isEmpty(), "a standby's status mirrors the leader's");
        assertEquals(List.of(), counted.writes());
    }

    @Test
    void heldWritesEndThePassUnwrittenAndAWriteRefusedMidwayIsRetried() throws Exception {
        folder("shop");
        gate.set(Optional.of(new WriteGate.Refusal(WriteGate.Reason.HELD, "quorum lost: 1 of 3 managers reachable")));
        PassResult held = controller().reconcile("shop", Set.of(Trigger.MANUAL));
        assertEquals(PassResult.Next.RETRY, held.next());
        assertEquals("no write: quorum lost: 1 of 3 managers reachable", held.message());
        assertEquals(List.of(), counted.writes());

        // The lease lost between the pass's decision and its writes: the first write is refused, the pass retries.
        gate.set(Optional.empty());
        counted.reset();
        swarm.beforeNextUpdate = null;
        StackController controller = controller();
        AtomicReference<Boolean> once = new AtomicReference<>(true);
        GatedSwarmEngine lateGate = new GatedSwarmEngine(counted, () -> once.getAndSet(false) ? Optional.empty()
                : Optional.of(new WriteGate.Refusal(WriteGate.Reason.STANDBY, "standby: the lease was not renewed")), own, RECORDS, () -> { });
        PassResult midway = new StackController(DesiredSource.folder(root), new DesiredStateReader(), new StackCompiler(),
                Reconcilers.on(lateGate), counted, statuses, new SuspendOverrides(), Map.of(), Clock.systemUTC(), 3,
                NetworkNotFoundRemedy.withDefaults(lateGate, Clock.systemUTC(), () -> { }), ImageUpdates.NONE,
                WriteGate.OPEN, own).reconcile("shop", Set.of(Trigger.MANUAL));
        assertEquals(PassResult.Next.RETRY, midway.next(), midway.message());
        assertTrue(midway.message().contains("no write: standby: the lease was not renewed"), midway.message());
        assertEquals(1, counted.writes().size(), "only the write made before the lease was lost: " + counted.writes());
        assertTrue(controller.knows("shop"));
    }
}
