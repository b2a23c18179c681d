package io.stackwarden.desired.source;

import io.stackwarden.desired.DesiredSource;
import io.stackwarden.desired.DesiredStack;
import io.stackwarden.desired.DesiredStateException;
import io.stackwarden.desired.DesiredStateReader;
import io.stackwarden.desired.SourceRefresh;
import io.stackwarden.support.Backoff;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the desired-state files current and tells which stacks changed. One refresh runs at a time, on
 * the poll timer and whenever asked (webhook); requests while one is pending coalesce. A failed refresh
 * keeps the last good files, marks the source stale and is retried with backoff, then the poll interval
 * resumes. Passes read the files through {@link #open()}, which a reset waits for.
 */
public final class SourceSync implements SourceRefresh, DesiredSource, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SourceSync.class.getName());

    /** Told about the stacks whose files changed, after the files are in place. */
    @FunctionalInterface
    public interface Listener {
        void changed(ChangedStacks changes);
    }

    private final Origin origin;
    private final Duration pollInterval;
    private final Backoff backoff;
    private final Clock clock;
    private final ReentrantReadWriteLock files = new ReentrantReadWriteLock();
    private final DesiredStateReader settingsReader = new DesiredStateReader();
    private final Object refreshing = new Object();
    private final AtomicLong successes = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "desired-source");
        thread.setDaemon(true);
        return thread;
    });
    private volatile SourceStatus status;
    private volatile Listener listener = changes -> { };
    private final List<Consumer<SourceStatus>> refreshes = new CopyOnWriteArrayList<>();

    // Scheduling, guarded by this.
    private ScheduledFuture<?> next;
    private boolean immediate;
    private boolean closed;
    private int failuresInARow;

    public SourceSync(Origin origin, Duration pollInterval, Backoff backoff, Clock clock) {
        this.origin = origin;
        this.pollInterval = pollInterval;
        this.backoff = backoff;
        this.clock = clock;
        this.status = SourceStatus.initial(origin, clock.instant());
    }

    /** Starts polling with a refresh at once; {@code listener} hears of every change from then on. */
    public void start(Listener listener) {
        listen(listener);
        requestRefresh("start");
    }

    /** Called with the status after every refresh, good or failed, on the refresh's thread (return at once). */
    public void onRefreshed(Consumer<SourceStatus> listener) {
        refreshes.add(listener);
    }

    /** Sets who hears of changes, without starting (tests refresh by hand). */
    void listen(Listener listener) {
        this.listener = listener;
    }

    @Override
    public Optional<String> branch() {
        return origin.branch();
    }

    @Override
    public void requestRefresh(String reason) {
        LOG.fine(() -> "refresh of the desired state requested: " + reason);
        synchronized (this) {
            if (closed || immediate) {
                return; // one is about to run; it sees whatever this request was about
            }
            immediate = true;
            schedule(Duration.ZERO);
        }
    }

    private void scheduled() {
        synchronized (this) {
            immediate = false;
        }
        boolean ok = false;
        try {
            ok = refresh();
        } catch (RuntimeException | Error e) {
            // Whatever went wrong, the next refresh must still come: a task that throws is never run again.
            LOG.log(Level.SEVERE, "refresh of the desired state failed", e);
            failed("refresh failed: " + e.getClass().getSimpleName(), status.revision());
        } finally {
            synchronized (this) {
                if (!closed && !immediate) {
                    schedule(ok ? pollInterval : backoff.delay(Math.max(0, failuresInARow - 1)));
                }
            }
        }
    }

    private void schedule(Duration delay) {
        if (next != null) {
            next.cancel(false);
        }
        next = timer.schedule(this::scheduled, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One refresh now, on the caller's thread; waits for one in progress. Returns whether it succeeded. */
    public boolean refresh() {
        synchronized (refreshing) {
            Origin.Refreshed refreshed;
            try {
                refreshed = origin.refresh(files.writeLock());
            } catch (SourceException | RuntimeException e) {
                failed(e.getMessage() == null ? e.toString() : e.getMessage(), null);
                report();
                return false;
            }
            SourceStatus before = status;
            Optional<String> problem = refreshed.problem().or(this::settingsProblem);
            if (problem.isPresent()) {
                failed(problem.get(), refreshed.revision());
            } else {
                succeeded(refreshed.revision());
            }
            report();
            if (!Objects.equals(before.revision(), refreshed.revision())) {
                LOG.info(() -> "desired state at " + refreshed.revision() + "; changed: " + refreshed.changes());
            }
            if (!refreshed.changes().isEmpty()) {
                try {
                    listener.changed(refreshed.changes());
                } catch (RuntimeException e) {
                    LOG.log(Level.SEVERE, "queueing the passes of changed stacks failed", e);
                }
            }
            return problem.isEmpty();
        }
    }

    private void report() {
        SourceStatus now = status;
        refreshes.forEach(listener -> listener.accept(now));
    }

    /**
     * Why the shared {@code stackwarden.yaml} cannot be used, if it cannot: every pass would fail on it, so
     * the source is stale until it is fixed (passes change nothing meanwhile, the swarm keeps its last good state).
     */
    private Optional<String> settingsProblem() {
        if (!origin.readable()) {
            return Optional.empty();
        }
        try {
            settingsReader.settings(origin.root());
            return Optional.empty();
        } catch (DesiredStateException e) {
            return Optional.of(e.getMessage());
        }
    }

    private void succeeded(String revision) {
        successes.incrementAndGet();
        synchronized (this) {
            failuresInARow = 0;
        }
        if (status.stale() && status.lastFetch() != null) {
            LOG.info(() -> "desired-state source current again at " + revision);
        }
        status = new SourceStatus(origin.kind(), origin.url().orElse(null), origin.branch().orElse(null), revision,
                clock.instant(), false, null, null, true);
    }

    /**
     * Records a failure: stale since the streak began; still readable when good files are in place
     * ({@code revision} is theirs) or the origin is read as it is (a plain folder), unusable otherwise.
     */
    private void failed(String error, String revision) {
        failures.incrementAndGet();
        synchronized (this) {
            failuresInARow++;
        }
        SourceStatus before = status;
        if (!error.equals(before.error())) {
            LOG.warning(() -> "desired-state source " + (revision != null ? "stale, keeping " + revision : "unusable")
                    + ": " + error);
        }
        Instant since = before.stale() && before.staleSince() != null ? before.staleSince() : clock.instant();
        status = new SourceStatus(origin.kind(), origin.url().orElse(null), origin.branch().orElse(null), revision,
                before.lastFetch(), true, since, error, origin.readable());
    }

    public SourceStatus status() {
        return status;
    }

    /** Successful refreshes (fetches or folder polls) since start. */
    public long successes() {
        return successes.get();
    }

    /** Failed refreshes since start. */
    public long failures() {
        return failures.get();
    }

    @Override
    public Path root() {
        return origin.root();
    }

    @Override
    public Snapshot open() throws DesiredStateException {
        Lock read = files.readLock();
        read.lock();
        // Asked of the origin, not of the status: the status is written after the reset, outside the lock.
        if (!origin.readable()) {
            read.unlock();
            throw new DesiredStateException("the desired state cannot be read: " + status.error(), null);
        }
        return new Snapshot() {
            private boolean closed;

            @Override
            public String revision(DesiredStack stack) throws IOException {
                return origin.revision(stack);
            }

            @Override
            public boolean changedSince(DesiredStack stack, String revision) throws IOException {
                return origin.changedSince(stack, revision);
            }

            @Override
            public void close() {
                if (!closed) {
                    closed = true;
                    read.unlock();
                }
            }
        };
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        timer.shutdownNow();
    }
}
