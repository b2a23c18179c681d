package io.stackwarden.leader;

import io.stackwarden.support.Repeating;
import io.stackwarden.support.Scheduler;
import io.stackwarden.swarm.EngineException;
import io.stackwarden.swarm.LabelRecord;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One actor among several replicas, through a lease kept in a {@link LabelRecord} (the swarm's own version-checked
 * writes: no external store), as client-go's leader election does it with a Kubernetes Lease:
 * <ul>
 * <li>Every {@code retryPeriod} the leader renews the lease; a standby reads it.</li>
 * <li>A standby takes the lease over once it has seen the record unchanged for the lease's duration, measured on
 * its own clock from when it saw the record change last: clocks of different nodes are never compared. Two
 * standbys that try at once write against the same version; the swarm lets exactly one win.</li>
 * <li>The leader counts itself leader only until {@code renewDeadline} after the start of its last successful
 * renewal, shorter than the lease's duration: a leader that cannot renew (engine gone, node cut off) stops
 * acting before anyone else may start.</li>
 * <li>A leader that stops releases the lease, so a standby takes over at its next read.</li>
 * </ul>
 */
public final class LeaderElection implements Leadership {

    private static final Logger LOG = Logger.getLogger(LeaderElection.class.getName());

    /**
     * @param identity      this instance, unique among the replicas
     * @param address       where this instance takes requests handed on by standbys; may be empty
     * @param leaseDuration how long others wait for a renewal before they take over
     * @param renewDeadline how long after its last renewal a leader still acts; shorter than the lease duration
     * @param retryPeriod   period of renewals and reads; shorter than the renew deadline
     */
    public record Settings(String identity, String address, Duration leaseDuration, Duration renewDeadline,
                           Duration retryPeriod) {
        public Settings {
            if (identity.isBlank()) {
                throw new IllegalArgumentException("the identity must not be empty");
            }
            if (retryPeriod.isNegative() || retryPeriod.isZero() || retryPeriod.compareTo(renewDeadline) >= 0
                    || renewDeadline.compareTo(leaseDuration) >= 0) {
                throw new IllegalArgumentException("need 0 < retry-period (" + retryPeriod + ") < renew-deadline ("
                        + renewDeadline + ") < lease-duration (" + leaseDuration + ")");
            }
        }
    }

    /** Told when this instance starts and stops leading; called on the election's thread. */
    public interface Listener {
        void startedLeading();

        void stoppedLeading();
    }

    private final LabelRecord record;
    private final Settings settings;
    private final Scheduler scheduler;
    private final Listener listener;

    // Touched by the election's own thread only (one tick at a time).
    private Optional<LabelRecord.Snapshot> last = Optional.empty();
    private long observedVersion = -1;
    private Instant observedAt = Instant.EPOCH;
    private boolean leading;

    /** Until when this instance may act; EPOCH while it does not lead. Read by every writer. */
    private volatile Instant actUntil = Instant.EPOCH;
    private volatile LeaderStatus status;
    private volatile Repeating rounds;
    private volatile boolean stopped;
    private volatile Instant lastTick = Instant.EPOCH;

    public LeaderElection(LabelRecord record, Settings settings, Scheduler scheduler, Listener listener) {
        this.record = record;
        this.settings = settings;
        this.scheduler = scheduler;
        this.listener = listener;
        Instant now = scheduler.clock().instant();
        this.status = new LeaderStatus(LeaderStatus.Role.STANDBY, settings.identity(), "", "", now, 0, "");
    }

    public void start() {
        LOG.info(() -> "leader election: " + settings.identity() + " on lease " + record.name() + " (duration "
                + settings.leaseDuration() + ", renew deadline " + settings.renewDeadline() + ", retry "
                + settings.retryPeriod() + ")");
        rounds = Repeating.start(scheduler, "leader election", Duration.ZERO, settings.retryPeriod(), this::tick);
    }

    /** Whether this instance may act now: it leads and renewed recently enough. */
    @Override
    public boolean leading() {
        return scheduler.clock().instant().isBefore(actUntil);
    }

    @Override
    public LeaderStatus status() {
        return status;
    }

    public Settings settings() {
        return settings;
    }

    /** When the election last ran; a stuck election thread shows here (liveness). */
    public Instant lastTick() {
        return lastTick;
    }

    /** Stops the election; a leader releases the lease first, so a standby need not wait for it to expire. */
    public void stop() {
        stopped = true;
        if (rounds != null) {
            rounds.stop();
        }
        synchronized (this) {
            if (leading) {
                Instant now = scheduler.clock().instant();
                actUntil = Instant.EPOCH;
                try {
                    Lease lease = last.map(s -> Lease.of(s.labels())).orElse(Lease.NONE);
                    if (record.write(last, lease.released(now).labels()).isPresent()) {
                        LOG.info(() -> "leader election: " + settings.identity() + " released the lease");
                    }
                } catch (EngineException e) {
                    LOG.warning(() -> "leader election: the lease could not be released (" + e.getMessage()
                            + "); a standby takes over once it expires");
                }
                stepDown(now, "stopping");
            }
        }
    }

    /** One round: renew (leader) or read and maybe take over (standby). */
    synchronized void tick() {
        if (stopped) {
            return;
        }
        Instant start = scheduler.clock().instant();
        lastTick = start;
        String error = "";
        try {
            if (leading && last.isPresent() && renew(start)) {
                return;
            }
            Optional<LabelRecord.Snapshot> current = record.read();
            observe(current, start);
            Lease lease = current.map(s -> Lease.of(s.labels())).orElse(Lease.NONE);
            if (lease.heldBy(settings.identity()) || !lease.held() || expired(lease, start)) {
                take(current, lease, start);
            } else if (leading) {
                stepDown(start, lease.holder() + " holds the lease");
            }
        } catch (EngineException e) {
            error = e.getMessage();
            String why = error;
            LOG.log(leading ? Level.WARNING : Level.FINE, () -> "leader election: lease " + record.name() + ": " + why);
        } finally {
            if (leading && !start.isBefore(actUntil)) {
                stepDown(start, "the lease was not renewed within " + settings.renewDeadline());
            }
            publish(start, error);
        }
    }

    /** Renews against the version this leader wrote last; false when someone else wrote since. */
    private boolean renew(Instant start) {
        Lease mine = Lease.of(last.get().labels());
        Optional<LabelRecord.Snapshot> written = record.write(last, mine.renewed(start).labels());
        if (written.isEmpty()) {
            return false; // read it and see who holds it now
        }
        accept(written.get(), start);
        return true;
    }

    /** Takes a lease that is free, expired or already ours (a renewal against a fresh read). */
    private void take(Optional<LabelRecord.Snapshot> current, Lease lease, Instant start) {
        Lease next = lease.heldBy(settings.identity()) ? lease.renewed(start)
                : lease.takenBy(settings.identity(), settings.address(), settings.leaseDuration(), start);
        Optional<LabelRecord.Snapshot> written = record.write(current, next.labels());
        if (written.isEmpty()) {
            LOG.fine(() -> "leader election: another instance wrote the lease first");
            if (leading) {
                stepDown(start, "another instance wrote the lease");
            }
            return;
        }
        accept(written.get(), start);
    }

    /** The write went through: this instance leads until the renew deadline, if the record still names it. */
    private void accept(LabelRecord.Snapshot written, Instant start) {
        observe(Optional.of(written), start);
        if (!Lease.of(written.labels()).heldBy(settings.identity())) {
            if (leading) {
                stepDown(start, Lease.of(written.labels()).holder() + " holds the lease");
            }
            return;
        }
        actUntil = start.plus(settings.renewDeadline());
        if (!leading) {
            leading = true;
            Lease lease = Lease.of(written.labels());
            LOG.info(() -> "leader election: " + settings.identity() + " leads from " + start + " (lease " + record.name()
                    + ", transition " + lease.transitions() + ")");
            status = new LeaderStatus(LeaderStatus.Role.LEADER, settings.identity(), settings.identity(),
                    settings.address(), start, lease.transitions(), "");
            listener.startedLeading();
        }
    }

    private void observe(Optional<LabelRecord.Snapshot> current, Instant now) {
        last = current;
        long version = current.map(LabelRecord.Snapshot::version).orElse(0L);
        if (version != observedVersion) {
            observedVersion = version;
            observedAt = now;
        }
    }

    /** Unchanged since we first saw this version for the holder's lease duration, on our own clock. */
    private boolean expired(Lease lease, Instant now) {
        Duration duration = lease.duration().isZero() ? settings.leaseDuration() : lease.duration();
        return !now.isBefore(observedAt.plus(duration));
    }

    private void stepDown(Instant now, String why) {
        actUntil = Instant.EPOCH;
        if (!leading) {
            return;
        }
        leading = false;
        LOG.warning(() -> "leader election: " + settings.identity() + " stopped leading at " + now + ": " + why);
        status = new LeaderStatus(LeaderStatus.Role.STANDBY, settings.identity(), "", "", now, status.transitions(), "");
        listener.stoppedLeading();
    }

    private void publish(Instant now, String error) {
        Lease lease = last.map(s -> Lease.of(s.labels())).orElse(Lease.NONE);
        LeaderStatus.Role role = leading ? LeaderStatus.Role.LEADER : LeaderStatus.Role.STANDBY;
        Instant since = status.role() == role ? status.since() : now;
        status = new LeaderStatus(role, settings.identity(), lease.holder(), lease.address(), since, lease.transitions(), error);
    }
}
