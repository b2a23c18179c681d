package io.stackwarden.notify;

import io.stackwarden.support.Backoff;
import io.stackwarden.support.Scheduler;

import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The notices on their way: a bounded queue and one thread of its own, so a slow or dead receiver never holds
 * a reconcile pass. A full queue drops (counted); a retryable failure is tried again after a backoff on the
 * scheduler, up to {@code maxAttempts} attempts in all.
 */
public final class Outbox implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Outbox.class.getName());

    /** What became of one delivery attempt, as the metric's {@code outcome} tag says it. */
    public enum Outcome {
        SENT, RETRIED, FAILED, DROPPED;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Counts outcomes per sink (the metric). */
    @FunctionalInterface
    public interface Outcomes {
        void count(String sink, Outcome outcome);
    }

    private record Delivery(Channel channel, Notice notice, int attempt) {
    }

    private final BlockingQueue<Delivery> queue;
    private final int maxAttempts;
    private final Backoff backoff;
    private final Scheduler scheduler;
    private final Outcomes outcomes;
    private final Thread worker;
    private volatile boolean closed;

    public Outbox(int capacity, int maxAttempts, Backoff backoff, Scheduler scheduler, Outcomes outcomes) {
        if (capacity < 1 || maxAttempts < 1) {
            throw new IllegalArgumentException("capacity and maxAttempts must be at least 1");
        }
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.maxAttempts = maxAttempts;
        this.backoff = backoff;
        this.scheduler = scheduler;
        this.outcomes = outcomes;
        this.worker = new Thread(this::work, "notify-outbox");
        worker.setDaemon(true);
    }

    public void start() {
        worker.start();
    }

    /** Queues {@code notice} for {@code channel}; never waits: a full queue drops it. */
    public void offer(Channel channel, Notice notice) {
        offer(new Delivery(channel, notice, 0));
    }

    private void offer(Delivery delivery) {
        if (closed) {
            return;
        }
        if (!queue.offer(delivery)) {
            outcomes.count(delivery.channel().name(), Outcome.DROPPED);
            LOG.warning(() -> "notification queue full: a " + delivery.notice().kind() + " notice for sink "
                    + delivery.channel().name() + " was dropped");
        }
    }

    private void work() {
        while (!closed) {
            Delivery delivery;
            try {
                delivery = queue.take();
            } catch (InterruptedException e) {
                return; // closed
            }
            deliver(delivery);
        }
    }

    private void deliver(Delivery delivery) {
        String sink = delivery.channel().name();
        try {
            delivery.channel().sink().deliver(delivery.notice());
            outcomes.count(sink, Outcome.SENT);
        } catch (DeliveryFailure e) {
            int next = delivery.attempt() + 1;
            if (e.retryable() && next < maxAttempts) {
                outcomes.count(sink, Outcome.RETRIED);
                LOG.fine(() -> "notification to sink " + sink + " failed (" + e.getMessage() + "); attempt " + (next + 1)
                        + " of " + maxAttempts + " follows");
                scheduler.schedule(() -> offer(new Delivery(delivery.channel(), delivery.notice(), next)), backoff.delay(delivery.attempt()));
            } else {
                outcomes.count(sink, Outcome.FAILED);
                LOG.warning(() -> "notification to sink " + sink + " failed after " + next + " attempt(s): " + e.getMessage());
            }
        } catch (RuntimeException e) {
            // A bug in one sink must not end the thread that serves them all.
            outcomes.count(sink, Outcome.FAILED);
            LOG.log(Level.SEVERE, "notification to sink " + sink + " failed unexpectedly", e);
        }
    }

    @Override
    public void close() {
        closed = true;
        worker.interrupt();
    }
}
