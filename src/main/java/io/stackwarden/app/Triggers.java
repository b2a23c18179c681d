package io.stackwarden.app;

import io.quarkus.scheduler.Scheduled;
import io.stackwarden.config.StackwardenConfig;
import io.stackwarden.desired.DesiredStateException;
import io.stackwarden.loop.StackController;
import io.stackwarden.loop.Trigger;
import io.stackwarden.loop.WorkQueue;
import io.stackwarden.support.Scheduler;
import io.stackwarden.swarm.EngineMonitor;
import io.stackwarden.swarm.EventStream;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/** Turns start-up, engine recovery and the periodic resync into queue requests; they only enqueue. */
@Singleton
public class Triggers {

    private static final Logger LOG = Logger.getLogger(Triggers.class);
    /** How long the start-up passes wait for the event stream to connect before going ahead without it. */
    static final Duration STREAM_GRACE = Duration.ofSeconds(5);

    @Inject
    WorkQueue queue;
    @Inject
    StackController controller;
    @Inject
    EngineMonitor monitor;
    @Inject
    StackwardenConfig config;
    @Inject
    EventStream events;
    @Inject
    Scheduler scheduler;

    private final AtomicBoolean started = new AtomicBoolean();

    /**
     * Called once at start-up: every time the engine becomes ready, all stacks get a pass. The event
     * stream starts with the engine's first readiness and reconnects at once when the engine returns; its
     * connect gives every stack that pass (on a filled cache, see {@code EventRouter.connected}). Only when it
     * has not connected within {@link #STREAM_GRACE} do the passes go ahead without it.
     */
    void listen() {
        monitor.onReadinessChange(status -> {
            if (status.ready()) {
                boolean again = started.getAndSet(true);
                long connections = events.connections();
                if (again) {
                    events.reconnect();
                } else {
                    events.start();
                }
                Trigger trigger = again ? Trigger.RESYNC : Trigger.STARTUP;
                scheduler.schedule(() -> {
                    if (events.connections() == connections) {
                        LOG.warnf("engine event stream not connected after %s: %s passes without it",
                                STREAM_GRACE, trigger);
                        enqueueAll(trigger, Duration.ZERO);
                    }
                }, STREAM_GRACE);
            }
        });
    }

    /** The periodic full resync, spread over a tenth of the interval so stacks do not all start at once. */
    @Scheduled(every = "${stackwarden.resync-interval}", delayed = "${stackwarden.resync-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void resync() {
        if (monitor.status().ready()) {
            enqueueAll(Trigger.RESYNC, config.resyncInterval().dividedBy(10));
        }
    }

    /** A pass for every known stack (files and swarm), spread over {@code spread} when it is not zero. */
    void enqueueAll(Trigger trigger, Duration spread) {
        Set<String> stacks;
        try {
            stacks = controller.knownStacks();
        } catch (DesiredStateException e) {
            LOG.warnf("cannot list stacks for %s: %s", trigger, e.getMessage());
            return;
        }
        for (String stack : stacks) {
            long jitter = spread.isZero() ? 0 : ThreadLocalRandom.current().nextLong(spread.toMillis());
            queue.enqueueAfter(stack, trigger, Duration.ofMillis(jitter));
        }
    }
}
