package io.stackwarden.loop;

import io.stackwarden.remedy.Retries;
import io.stackwarden.support.ManualScheduler;
import io.stackwarden.swarm.CountingSwarmEngine;
import io.stackwarden.swarm.EngineException;
import io.stackwarden.swarm.FakeSwarm;
import io.stackwarden.swarm.LabelRecord;
import io.stackwarden.swarm.SwarmObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The state kept in the swarm: what a leader saves comes back in the next one (statuses, revisions, suspends, remedy
 * counts), an unchanged state is never written again, a standby only reads, and a write against a stale version is
 * made again against the fresh one.
 */
class SavedStateTest {

    private static final Duration DELAY = Duration.ofSeconds(1);

    private final FakeSwarm swarm = new FakeSwarm();
    private final ManualScheduler scheduler = new ManualScheduler();

    /** One instance: its statuses, suspends, remedy and view of the record. */
    private final class Instance {
        final CountingSwarmEngine engine = new CountingSwarmEngine(swarm);
        final StatusStore statuses = new StatusStore();
        final SuspendOverrides overrides = new SuspendOverrides();
        final Retries retries = new Retries();
        final AtomicBoolean leading = new AtomicBoolean(true);
        final SavedState saved = new SavedState(new LabelRecord(engine, "stackwarden.state"), statuses, overrides,
                Map.of("network-not-found", retries), scheduler, DELAY, leading::get);

        List<String> stateWrites() {
            return engine.writes().stream().filter(w -> w.endsWith("stackwarden.state")).toList();
        }
    }

    private StackStatus status(String stack, OperationResult result, String message, Instant at) {
        return new StackStatus(stack, StackStatus.Sync.SYNCED, StackStatus.Health.HEALTHY, "git:" + "a".repeat(40),
                "git:" + "b".repeat(40), new StackStatus.Operation(Set.of(Trigger.MANUAL), at, at, result, message,
                List.of("create service " + stack + "_app")), List.of(), message, List.of());
    }

    @Test
    void whatALeaderSavedComesBackInTheNextOne() {
        Instance first = new Instance();
        first.saved.restore();
        first.statuses.put(status("shop", OperationResult.SUCCEEDED, "in sync", scheduler.clock().instant()));
        first.statuses.put(status("blog", OperationResult.FAILED, "compose.yaml line 3: bad", scheduler.clock().instant()));
        first.overrides.suspend("blog");
        first.retries.restore("shop", Map.of("svc1", new Retries.Count("ab12", 2)));
        first.saved.changed();
        assertEquals(List.of(), first.stateWrites(), "not before the delay");
        scheduler.advance(DELAY);
        assertEquals(List.of("create config stackwarden.state"), first.stateWrites(), "one write for the burst");

        Instance next = new Instance();
        next.saved.restore();
        StackStatus shop = next.statuses.get("shop").orElseThrow();
        assertEquals(StackStatus.Sync.SYNCED, shop.sync());
        assertEquals(StackStatus.Health.HEALTHY, shop.health());
        assertEquals("git:" + "a".repeat(40), shop.revisionApplied());
        assertEquals("git:" + "b".repeat(40), shop.revisionAttempted());
        assertEquals("in sync", shop.message());
        StackStatus blog = next.statuses.get("blog").orElseThrow();
        assertEquals(OperationResult.FAILED, blog.lastOperation().result(), "a failed revision is not tried again after a restart");
        assertTrue(next.overrides.suspended("blog"));
        assertFalse(next.overrides.suspended("shop"));
        assertEquals(Map.of("svc1", new Retries.Count("ab12", 2)), next.retries.counts("shop"));
    }

    @Test
    void anUnchangedStateIsNeverWrittenAgainAfterARestart() {
        Instance first = new Instance();
        first.saved.restore();
        first.statuses.put(status("shop", OperationResult.SUCCEEDED, "in sync", scheduler.clock().instant()));
        scheduler.advance(DELAY);
        assertEquals(1, first.stateWrites().size());

        Instance restarted = new Instance();
        restarted.saved.restore();
        scheduler.advance(Duration.ofMinutes(3));
        // The pass after the restart ends as the last one did, only later.
        restarted.statuses.put(status("shop", OperationResult.SUCCEEDED, "in sync", scheduler.clock().instant()));
        scheduler.advance(DELAY.multipliedBy(5));
        assertEquals(List.of(), restarted.stateWrites(), "the time of a pass is no change");

        restarted.statuses.put(status("shop", OperationResult.RETRYING, "engine did not answer", scheduler.clock().instant()));
        scheduler.advance(DELAY);
        assertEquals(List.of("update config stackwarden.state"), restarted.stateWrites());
        restarted.statuses.remove("shop");
        scheduler.advance(DELAY);
        Instance third = new Instance();
        third.saved.restore();
        assertTrue(third.statuses.all().isEmpty(), "a removed stack is gone from the saved state");
    }

    @Test
    void aStandbyMirrorsTheLeadersStateAndNeverWrites() {
        Instance leader = new Instance();
        leader.saved.restore();
        Instance standby = new Instance();
        standby.leading.set(false);
        standby.saved.mirror();
        leader.statuses.put(status("shop", OperationResult.SUCCEEDED, "in sync", scheduler.clock().instant()));
        leader.overrides.suspend("shop");
        leader.saved.saveNow();
        assertTrue(standby.statuses.get("shop").isEmpty());

        standby.saved.mirror();
        assertEquals("in sync", standby.statuses.get("shop").orElseThrow().message());
        assertTrue(standby.overrides.suspended("shop"));
        standby.engine.reset();
        standby.saved.mirror();
        assertEquals(List.of("find config stackwarden.state"), standby.engine.reads(), "an unchanged record is not parsed again");

        standby.statuses.put(status("other", OperationResult.SUCCEEDED, "x", scheduler.clock().instant()));
        scheduler.advance(Duration.ofMinutes(1));
        assertEquals(List.of(), standby.stateWrites());
        assertThrows(EngineException.class, standby.saved::saveNow, "a suspend reaching a standby is never saved by it");
    }

    @Test
    void aLeaderPastItsRenewDeadlineSavesNothing() {
        Instance leader = new Instance();
        leader.saved.restore();
        leader.leading.set(false);
        leader.statuses.put(status("shop", OperationResult.SUCCEEDED, "in sync", scheduler.clock().instant()));
        scheduler.advance(Duration.ofSeconds(30));
        assertEquals(List.of(), leader.stateWrites());
    }

    @Test
    void aWriteAgainstAStaleVersionIsMadeAgainstTheFreshOne() {
        Instance leader = new Instance();
        leader.saved.restore();
        leader.statuses.put(status("shop", OperationResult.SUCCEEDED, "in sync", scheduler.clock().instant()));
        scheduler.advance(DELAY);
        // Someone else wrote the record in between (an old leader's late write, say).
        LabelRecord record = new LabelRecord(swarm, "stackwarden.state");
        LabelRecord.Snapshot now = record.read().orElseThrow();
        Map<String, String> labels = new HashMap<>(now.labels());
        labels.put("io.stackwarden.stack.late", "{\"sync\":\"Synced\"}");
        record.write(java.util.Optional.of(now), labels);

        leader.statuses.put(status("shop", OperationResult.RETRYING, "engine did not answer", scheduler.clock().instant()));
        scheduler.advance(DELAY);
        String saved = swarm.find(SwarmObject.Kind.CONFIG, "stackwarden.state").orElseThrow().labels().get("io.stackwarden.stack.shop");
        assertTrue(saved.contains("engine did not answer"), saved);
        assertEquals(2, leader.stateWrites().stream().filter(w -> w.startsWith("update")).count(),
                "one refused against the stale version, one against the fresh: " + leader.stateWrites());
    }

    @Test
    void anUnreadableEntryIsSkippedAndTheOthersComeBack() {
        LabelRecord record = new LabelRecord(swarm, "stackwarden.state");
        record.write(java.util.Optional.empty(), Map.of("io.stackwarden.stack.bad", "{not json",
                "io.stackwarden.stack.good", "{\"sync\":\"OutOfSync\",\"health\":\"Degraded\",\"message\":\"m\"}"));
        Instance next = new Instance();
        next.saved.restore();
        assertEquals(List.of("good"), next.statuses.all().stream().map(StackStatus::stack).toList());
        assertEquals(StackStatus.Health.DEGRADED, next.statuses.get("good").orElseThrow().health());
    }
}
