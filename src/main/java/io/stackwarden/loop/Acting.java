package io.stackwarden.loop;

import io.stackwarden.leader.LeaderElection;
import io.stackwarden.leader.Leadership;
import io.stackwarden.support.Repeating;
import io.stackwarden.support.Scheduler;
import io.stackwarden.swarm.EngineException;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Whether this instance acts, and the one {@link WriteGate} of every write: it acts while it leads (holds the lease,
 * or runs alone), once it knows the stack it runs in itself and has read the saved state back; writes are held
 * besides whenever {@code held} says so (quorum lost). On taking over it reads the saved state and then gives every
 * stack a pass ({@code takeOver}); on losing the lease it stops writing at once and mirrors the leader's state.
 */
public final class Acting implements WriteGate, LeaderElection.Listener {

    private static final Logger LOG = Logger.getLogger(Acting.class.getName());

    private final Leadership leadership;
    private final Optional<SavedState> saved;
    private final OwnStack own;
    private final Supplier<Optional<String>> findOwnStack;
    private final WriteGate held;
    private final Scheduler scheduler;
    private final Duration retry;
    private final Runnable takeOver;

    /** Whether the saved state was read back since this instance last started leading. */
    private volatile boolean restored;
    /** Counts starts and stops of leading, so a take-over of an earlier term never completes a later one. */
    private long term;
    private volatile boolean stopped;
    private volatile Repeating rounds;

    /**
     * @param saved        the state kept in the swarm; empty: in memory only (a lone instance without an election)
     * @param findOwnStack the stack of this process's own container, read from the engine (throws while it does not answer)
     * @param retry        period of the standby's reads of the saved state, and of retries of a take-over
     * @param takeOver     run once the saved state is back: every stack gets a pass
     */
    public Acting(Leadership leadership, Optional<SavedState> saved, OwnStack own, Supplier<Optional<String>> findOwnStack,
                  WriteGate held, Scheduler scheduler, Duration retry, Runnable takeOver) {
        this.leadership = leadership;
        this.saved = saved;
        this.own = own;
        this.findOwnStack = findOwnStack;
        this.held = held;
        this.scheduler = scheduler;
        this.retry = retry;
        this.takeOver = takeOver;
    }

    /** Starts mirroring (or, alone, acting at once). */
    public void start() {
        rounds = Repeating.start(scheduler, "the standby's round", retry, retry, this::mirror);
        if (leadership.leading()) {
            startedLeading();
        }
    }

    public void stop() {
        stopped = true;
        if (rounds != null) {
            rounds.stop();
        }
    }

    /** Whether this instance acts now. */
    public boolean acting() {
        return restored && leadership.leading();
    }

    public Leadership leadership() {
        return leadership;
    }

    /**
     * Saves the state now (a suspend through the API); nothing to do while it is kept in memory only.
     *
     * @throws EngineException when it could not be saved
     */
    public void save() {
        saved.ifPresent(SavedState::saveNow);
    }

    @Override
    public Optional<Refusal> refusal() {
        if (!leadership.leading()) {
            // A leader steps down when it cannot renew, as it must while quorum is lost: the standby says why.
            String why = held.refusal().map(refusal -> "; " + refusal.message()).orElse("");
            return Optional.of(new Refusal(Reason.STANDBY, "standby: " + leadership.status().leaderDescription() + why));
        }
        if (!restored) {
            return Optional.of(new Refusal(Reason.STANDBY, "taking over: reading the saved state first"));
        }
        if (!own.known()) {
            return Optional.of(new Refusal(Reason.HELD, "the stack Stackwarden itself runs in is not known yet"));
        }
        return held.refusal();
    }

    @Override
    public synchronized void startedLeading() {
        long current = ++term;
        scheduler.schedule(() -> takeOverOrRetry(current), Duration.ZERO);
    }

    @Override
    public synchronized void stoppedLeading() {
        term++;
        restored = false;
        saved.ifPresent(SavedState::stopWriting);
        LOG.warning("stopped acting: this instance is a standby now");
    }

    private synchronized boolean current(long of) {
        return of == term;
    }

    private void takeOverOrRetry(long of) {
        if (stopped || !current(of)) {
            return;
        }
        findOwnStack();
        try {
            saved.ifPresent(SavedState::restore);
        } catch (EngineException e) {
            LOG.warning(() -> "taking over: tried again in " + retry + ": " + e.getMessage());
            scheduler.schedule(() -> takeOverOrRetry(of), retry);
            return;
        }
        synchronized (this) {
            if (!current(of)) {
                return;
            }
            // Said before the gate opens: no write of this instance can be logged before it.
            LOG.info(() -> "acting as " + leadership.status().identity() + ": every stack gets a pass");
            restored = true;
        }
        takeOver.run();
    }

    /**
     * Looks up the stack of this process's own container, once it answers. An engine that refuses the look-up (a
     * socket proxy that does not allow it) leaves nothing protected by name, with a warning; one that does not
     * answer is asked again on the next round, and writes are held until then.
     */
    private void findOwnStack() {
        if (own.known()) {
            return;
        }
        try {
            own.found(findOwnStack.get());
            LOG.info(() -> own.name().map(stack -> "Stackwarden runs in stack " + stack + ", which it never manages")
                    .orElse("Stackwarden does not run in a stack (no stack label on its container); nothing is"
                            + " protected by stack name (set stackwarden.self.stack to name one)"));
        } catch (EngineException e) {
            if (e.isUnreachable()) {
                return;
            }
            own.found(Optional.empty());
            LOG.warning(() -> "the engine refused the look-up of Stackwarden's own container (" + e.getMessage()
                    + "); nothing is protected by stack name: set stackwarden.self.stack");
        }
    }

    /** Each round: the own stack while not known, and for a standby the leader's saved state. */
    private void mirror() {
        try {
            findOwnStack();
            if (!leadership.leading() && saved.isPresent()) {
                saved.get().mirror();
            }
        } catch (EngineException e) {
            LOG.fine(() -> "standby: the saved state could not be read: " + e.getMessage());
        }
    }
}
