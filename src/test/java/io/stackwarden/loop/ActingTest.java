package io.stackwarden.loop;

import io.stackwarden.leader.LeaderStatus;
import io.stackwarden.leader.Leadership;
import io.stackwarden.remedy.Retries;
import io.stackwarden.support.ManualScheduler;
import io.stackwarden.swarm.CountingSwarmEngine;
import io.stackwarden.swarm.EngineException;
import io.stackwarden.swarm.FakeSwarm;
import io.stackwarden.swarm.LabelRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one gate: a standby is refused as a standby, a new leader acts only once it read the saved state back (and then
 * gives every stack a pass), writes are held while the own stack is unknown or quorum is lost, and a leader that
 * stops leading stops writing at once.
 */
class ActingTest {

    private static final Duration RETRY = Duration.ofSeconds(2);

    private final FakeSwarm swarm = new FakeSwarm();
    private final CountingSwarmEngine engine = new CountingSwarmEngine(swarm);
    private final ManualScheduler scheduler = new ManualScheduler();
    private final AtomicBoolean leading = new AtomicBoolean();
    private final AtomicReference<Optional<String>> quorum = new AtomicReference<>(Optional.empty());
    private final AtomicReference<Optional<String>> ownStack = new AtomicReference<>(Optional.of("ops"));
    private final AtomicInteger takeOvers = new AtomicInteger();
    private final StatusStore statuses = new StatusStore();
    private final SavedState saved = new SavedState(new LabelRecord(engine, "stackwarden.state"), statuses,
            new SuspendOverrides(), java.util.Map.of("network-not-found", new Retries()), scheduler, Duration.ofSeconds(1),
            leading::get);
    private final OwnStack own = OwnStack.unknown();
    private final Acting acting = new Acting(new Leadership() {
        @Override
        public boolean leading() {
            return leading.get();
        }

        @Override
        public LeaderStatus status() {
            return new LeaderStatus(leading.get() ? LeaderStatus.Role.LEADER : LeaderStatus.Role.STANDBY, "me",
                    leading.get() ? "me" : "m2/other", leading.get() ? "" : "http://10.0.1.9:8080", Instant.EPOCH, 1, "");
        }
    }, Optional.of(saved), own, () -> {
        Optional<String> stack = ownStack.get();
        if (stack == null) {
            throw EngineException.unreachable("GET /containers/x/json", new java.net.ConnectException("refused"));
        }
        return stack;
    }, WriteGate.held(quorum::get), scheduler, RETRY, takeOvers::incrementAndGet);

    private Optional<WriteGate.Refusal> refusal() {
        return acting.refusal();
    }

    @Test
    void aStandbyIsRefusedAsAStandbyNamingTheLeader() {
        acting.start();
        scheduler.advance(RETRY);
        WriteGate.Refusal refusal = refusal().orElseThrow();
        assertTrue(refusal.standby());
        assertEquals("standby: the leader is m2/other at http://10.0.1.9:8080", refusal.message());
        assertFalse(acting.acting());
    }

    @Test
    void aStandbyWhileQuorumIsLostSaysSo() {
        acting.start();
        quorum.set(Optional.of("quorum lost: 1 of 3 managers reachable"));
        WriteGate.Refusal refusal = refusal().orElseThrow();
        assertTrue(refusal.standby());
        assertEquals("standby: the leader is m2/other at http://10.0.1.9:8080; quorum lost: 1 of 3 managers reachable",
                refusal.message());
    }

    @Test
    void aNewLeaderActsOnlyAfterItReadTheSavedStateAndThenGivesEveryStackAPass() {
        new LabelRecord(swarm, "stackwarden.state").write(Optional.empty(),
                java.util.Map.of("io.stackwarden.stack.shop", "{\"sync\":\"Synced\",\"health\":\"Healthy\",\"message\":\"in sync\"}"));
        acting.start();
        leading.set(true);
        engine.unplug();
        acting.startedLeading();
        scheduler.advance(Duration.ZERO);
        assertEquals("taking over: reading the saved state first", refusal().orElseThrow().message());
        assertTrue(refusal().orElseThrow().standby(), "no pass runs before the state is back");
        assertEquals(0, takeOvers.get());

        engine.plugIn();
        scheduler.advance(RETRY);
        assertEquals(Optional.empty(), refusal());
        assertTrue(acting.acting());
        assertEquals(1, takeOvers.get());
        assertEquals("in sync", statuses.get("shop").orElseThrow().message(), "restored before the first pass");
    }

    @Test
    void writesAreHeldWhileItsOwnStackIsUnknownOrQuorumIsLost() {
        ownStack.set(null); // the engine does not answer the look-up yet
        leading.set(true);
        acting.start();
        scheduler.advance(Duration.ZERO);
        assertEquals(WriteGate.Reason.HELD, refusal().orElseThrow().reason());
        assertEquals("the stack Stackwarden itself runs in is not known yet", refusal().orElseThrow().message());

        ownStack.set(Optional.of("ops"));
        scheduler.advance(RETRY);
        assertTrue(own.is("ops"));
        assertEquals(Optional.empty(), refusal());

        quorum.set(Optional.of("quorum lost: 1 of 3 managers reachable"));
        assertEquals(new WriteGate.Refusal(WriteGate.Reason.HELD, "quorum lost: 1 of 3 managers reachable"), refusal().orElseThrow());
    }

    @Test
    void aLeaderThatStopsLeadingStopsWritingAtOnceAndMirrorsTheNextLeader() {
        leading.set(true);
        acting.start();
        scheduler.advance(Duration.ZERO);
        assertTrue(acting.acting());
        statuses.put(new StackStatus("shop", StackStatus.Sync.SYNCED, StackStatus.Health.HEALTHY, "", "", null, List.of(),
                "mine", List.of()));

        leading.set(false);
        acting.stoppedLeading();
        assertTrue(refusal().orElseThrow().standby());
        scheduler.advance(Duration.ofSeconds(5));
        assertTrue(engine.writes().isEmpty(), "the change made while leading is not saved by a former leader: " + engine.writes());

        new LabelRecord(swarm, "stackwarden.state").write(Optional.empty(),
                java.util.Map.of("io.stackwarden.stack.shop", "{\"sync\":\"OutOfSync\",\"health\":\"Degraded\",\"message\":\"theirs\"}"));
        scheduler.advance(RETRY);
        assertEquals("theirs", statuses.get("shop").orElseThrow().message(), "a standby shows the leader's state");

        leading.set(true);
        acting.startedLeading();
        scheduler.advance(Duration.ZERO);
        assertTrue(acting.acting(), "leading again restores again");
        assertEquals(2, takeOvers.get());
        assertEquals(Set.of("shop"), Set.copyOf(statuses.all().stream().map(StackStatus::stack).toList()));
    }
}
