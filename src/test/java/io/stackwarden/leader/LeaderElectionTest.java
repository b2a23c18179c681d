package io.stackwarden.leader;

import io.stackwarden.support.ManualScheduler;
import io.stackwarden.support.Scheduler;
import io.stackwarden.swarm.CountingSwarmEngine;
import io.stackwarden.swarm.FakeSwarm;
import io.stackwarden.swarm.LabelRecord;
import io.stackwarden.swarm.SwarmObject;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lease logic on a fake of our swarm port: one leader at a time, renewals, take-over after expiry on the
 * standby's own clock, a leader that cannot renew stopping before the lease can expire, a released lease taken at
 * once, and two writers of the same version of which exactly one wins.
 */
class LeaderElectionTest {

    private static final Duration LEASE = Duration.ofSeconds(15);
    private static final Duration DEADLINE = Duration.ofSeconds(10);
    private static final Duration RETRY = Duration.ofSeconds(2);
    private static final Duration STEP = Duration.ofMillis(250);

    private final FakeSwarm swarm = new FakeSwarm();
    private final ManualScheduler scheduler = new ManualScheduler();

    /** One replica: its own view of the shared swarm (which it can lose alone) and what it was told. */
    private final class Replica implements LeaderElection.Listener {
        final CountingSwarmEngine engine = new CountingSwarmEngine(swarm);
        final LeaderElection election;
        final List<String> told = new ArrayList<>();

        Replica(String name, Scheduler on) {
            election = new LeaderElection(new LabelRecord(engine, "stackwarden.lease"),
                    new LeaderElection.Settings(name, "http://" + name + ":8080", LEASE, DEADLINE, RETRY), on, this);
        }

        Replica(String name) {
            this(name, scheduler);
        }

        Replica started() {
            election.start();
            return this;
        }

        @Override
        public void startedLeading() {
            told.add("started");
        }

        @Override
        public void stoppedLeading() {
            told.add("stopped");
        }
    }

    private Lease lease() {
        return Lease.of(swarm.find(SwarmObject.Kind.CONFIG, "stackwarden.lease").orElseThrow().labels());
    }

    /** Moves time in small steps and checks after each that no two replicas act at once. */
    private void run(Duration total, Replica... replicas) {
        for (Duration done = Duration.ZERO; done.compareTo(total) < 0; done = done.plus(STEP)) {
            scheduler.advance(STEP);
            long acting = java.util.Arrays.stream(replicas).filter(r -> r.election.leading()).count();
            assertTrue(acting <= 1, "two replicas act at once at " + scheduler.clock().instant());
        }
    }

    @Test
    void theFirstReplicaTakesTheFreeLeaseAndKeepsRenewingIt() {
        Replica a = new Replica("a").started();
        scheduler.advance(Duration.ZERO);
        assertTrue(a.election.leading());
        assertEquals(List.of("started"), a.told);
        Lease first = lease();
        assertEquals("a", first.holder());
        assertEquals("http://a:8080", first.address());
        assertEquals(1, first.transitions());

        run(Duration.ofMinutes(1), a);
        assertTrue(a.election.leading());
        assertEquals(List.of("started"), a.told, "renewals are no new leadership");
        assertTrue(lease().renewedAt().isAfter(first.renewedAt()));
        assertEquals(1, lease().transitions());
        assertEquals(LeaderStatus.Role.LEADER, a.election.status().role());
    }

    @Test
    void aStandbyWaitsAsLongAsTheLeaderRenewsAndKnowsWhoLeads() {
        Replica a = new Replica("a").started();
        scheduler.advance(Duration.ZERO);
        Replica b = new Replica("b").started();
        run(Duration.ofMinutes(2), a, b);
        assertTrue(a.election.leading());
        assertFalse(b.election.leading());
        assertTrue(b.told.isEmpty());
        LeaderStatus standby = b.election.status();
        assertEquals(LeaderStatus.Role.STANDBY, standby.role());
        assertEquals("a", standby.leader());
        assertEquals("http://a:8080", standby.leaderAddress());
    }

    @Test
    void aLeaderThatCannotRenewStopsActingBeforeTheStandbyTakesOver() {
        Replica a = new Replica("a").started();
        scheduler.advance(Duration.ZERO);
        Replica b = new Replica("b").started();
        run(Duration.ofSeconds(20), a, b);
        Instant cut = scheduler.clock().instant();
        a.engine.unplug();

        Instant aStopped = null;
        Instant bStarted = null;
        for (int i = 0; i < 200 && bStarted == null; i++) {
            run(STEP, a, b);
            Instant now = scheduler.clock().instant();
            if (aStopped == null && !a.election.leading()) {
                aStopped = now;
            }
            if (b.election.leading()) {
                bStarted = now;
            }
        }
        assertTrue(aStopped != null && bStarted != null, "a stopped at " + aStopped + ", b started at " + bStarted);
        assertFalse(aStopped.isAfter(cut.plus(DEADLINE)), "a acted until " + aStopped + ", cut at " + cut);
        assertFalse(bStarted.isBefore(cut.plus(LEASE).minus(RETRY)), "b took over at " + bStarted + " before the lease could expire");
        assertFalse(bStarted.isAfter(cut.plus(LEASE).plus(RETRY)), "b took over late: " + bStarted);
        assertEquals("b", lease().holder());
        assertEquals(2, lease().transitions());
        assertEquals(List.of("started", "stopped"), a.told);

        a.engine.plugIn();
        run(Duration.ofSeconds(30), a, b);
        assertFalse(a.election.leading(), "a comes back as a standby");
        assertEquals("b", a.election.status().leader());
    }

    @Test
    void aStandbyWhoseClockIsAnHourAheadStillWaitsTheWholeLease() {
        Replica a = new Replica("a").started();
        scheduler.advance(Duration.ZERO);
        Replica b = new Replica("b", new Scheduler() {
            private final Clock ahead = Clock.offset(scheduler.clock(), Duration.ofHours(1));

            @Override
            public Clock clock() {
                return ahead;
            }

            @Override
            public void schedule(Runnable task, Duration delay) {
                scheduler.schedule(task, delay);
            }
        }).started();
        run(Duration.ofMinutes(1), a, b);
        assertTrue(a.election.leading());
        assertFalse(b.election.leading(), "the lease's own times are never compared with another clock");
    }

    @Test
    void aStoppingLeaderReleasesTheLeaseAndTheStandbyTakesItAtItsNextRead() {
        Replica a = new Replica("a").started();
        scheduler.advance(Duration.ZERO);
        Replica b = new Replica("b").started();
        run(Duration.ofSeconds(10), a, b);
        a.election.stop();
        assertFalse(a.election.leading());
        assertEquals("", lease().holder());
        run(RETRY, a, b);
        assertTrue(b.election.leading(), "no wait for the lease to expire");
        assertEquals(List.of("started", "stopped"), a.told);
    }

    @Test
    void ofTwoWritersOfTheSameVersionOnlyOneWins() {
        Replica a = new Replica("a").started();
        scheduler.advance(Duration.ZERO);
        LabelRecord record = new LabelRecord(swarm, "stackwarden.lease");
        LabelRecord.Snapshot read = record.read().orElseThrow();
        assertTrue(record.write(java.util.Optional.of(read), Lease.of(read.labels()).takenBy("c", "", LEASE,
                scheduler.clock().instant()).labels()).isPresent(), "the first write of the version wins");
        assertTrue(record.write(java.util.Optional.of(read), Map.of("io.stackwarden.lease.holder", "d")).isEmpty(),
                "the second write of the same version loses and changes nothing");
        assertEquals("c", lease().holder());

        run(RETRY, a);
        assertFalse(a.election.leading(), "a's renewal against its old version lost: it reads and steps down");
        assertEquals(List.of("started", "stopped"), a.told);
        assertEquals("c", a.election.status().leader());
    }

    @Test
    void aTakeOverThatLosesTheRaceLeavesTheWinnerLeading() {
        Replica a = new Replica("a").started();
        scheduler.advance(Duration.ZERO);
        Replica b = new Replica("b").started();
        run(Duration.ofSeconds(4), a, b);
        a.engine.unplug();
        // b's take-over write is preceded by another replica's, against the same version: b must lose.
        LabelRecord record = new LabelRecord(swarm, "stackwarden.lease");
        swarm.beforeNextUpdate = () -> {
            LabelRecord.Snapshot now = record.read().orElseThrow();
            record.write(java.util.Optional.of(now), Lease.of(now.labels()).takenBy("c", "", LEASE,
                    scheduler.clock().instant()).labels());
        };
        run(LEASE.plus(RETRY), a, b);
        assertTrue(swarm.beforeNextUpdate == null, "b tried to take the lease over");
        assertFalse(b.election.leading());
        assertEquals("c", lease().holder());
    }

    @Test
    void settingsWhereARenewalCouldOutliveTheLeaseAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new LeaderElection.Settings("a", "", LEASE, LEASE, RETRY));
        assertThrows(IllegalArgumentException.class,
                () -> new LeaderElection.Settings("a", "", LEASE, DEADLINE, DEADLINE));
        assertThrows(IllegalArgumentException.class,
                () -> new LeaderElection.Settings(" ", "", LEASE, DEADLINE, RETRY));
    }
}
