package io.stackwarden.swarm;

import io.stackwarden.support.Backoff;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Probes the engine for as long as the daemon runs: every {@code interval} while it answers as a
 * manager, with exponential backoff while it does not. A dead engine never stops the daemon; it only
 * makes it not ready. Listeners hear every change of readiness.
 */
public final class EngineMonitor implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EngineMonitor.class.getName());

    private final SwarmEngine engine;
    private final Duration interval;
    private final Backoff backoff;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final List<Consumer<EngineStatus>> listeners = new CopyOnWriteArrayList<>();
    private volatile EngineStatus status;
    private volatile boolean probed;

    public EngineMonitor(SwarmEngine engine, Duration interval, Backoff backoff, Clock clock) {
        this.engine = engine;
        this.interval = interval;
        this.backoff = backoff;
        this.clock = clock;
        this.status = EngineStatus.unknown(clock.instant());
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "engine-monitor");
            thread.setDaemon(true);
            return thread;
        });
    }

    public EngineStatus status() {
        return status;
    }

    /** Called on every change of {@link EngineStatus#ready()}, on the monitor thread. */
    public void onReadinessChange(Consumer<EngineStatus> listener) {
        listeners.add(listener);
    }

    public void start() {
        scheduler.execute(this::probeAndReschedule);
    }

    /** Probes once, updates the status and returns it. */
    public EngineStatus probe() {
        EngineStatus previous = status;
        EngineStatus next;
        try {
            next = EngineStatus.of(engine.info(), clock.instant());
            if (!next.ready()) {
                next = new EngineStatus(next.info(), next.problem(), next.checkedAt(), previous.failures() + 1);
            }
        } catch (EngineException e) {
            next = EngineStatus.unreachable(e.getMessage(), clock.instant(), previous.failures() + 1);
        }
        status = next;
        boolean first = !probed;
        probed = true;
        if (first || next.ready() != previous.ready()) {
            report(next);
        }
        return next;
    }

    private void report(EngineStatus next) {
        if (next.ready()) {
            EngineInfo info = next.info().orElseThrow();
            LOG.info(() -> "engine ready: node " + info.nodeName() + " (" + info.nodeId() + "), engine "
                    + info.engineVersion() + ", API " + info.apiVersion());
        } else {
            LOG.warning(() -> "engine not ready: " + next.problem().orElse("?"));
        }
        for (Consumer<EngineStatus> listener : listeners) {
            try {
                listener.accept(next);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "engine readiness listener failed", e);
            }
        }
    }

    private void probeAndReschedule() {
        Duration next;
        try {
            EngineStatus current = probe();
            next = current.ready() ? interval : backoff.delay(current.failures() - 1);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "engine probe failed unexpectedly", e);
            next = interval;
        }
        if (!scheduler.isShutdown()) {
            scheduler.schedule(this::probeAndReschedule, next.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
