package io.stackwarden.notify;

import io.stackwarden.desired.source.SourceStatus;
import io.stackwarden.loop.StackStatus;
import io.stackwarden.support.Scheduler;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Tells the configured sinks what changed. Called on the thread of a reconcile pass or a source refresh, it
 * only decides (filters, de-duplication) and queues; the {@link Outbox} sends. Reminders of what stays broken
 * are looked for every {@code sweep} on the scheduler. Of several replicas only the one that acts notifies: a
 * standby's statuses mirror the leader's, whose notices are the ones sent.
 */
public final class Notifier implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Notifier.class.getName());

    private final List<Channel> channels;
    private final Outbox outbox;
    private final Scheduler scheduler;
    private final Duration sweep;
    private final BooleanSupplier acting;
    private volatile boolean closed;

    public Notifier(List<Channel> channels, Outbox outbox, Scheduler scheduler, Duration sweep) {
        this(channels, outbox, scheduler, sweep, () -> true);
    }

    /** @param acting whether this instance acts now: nothing is published or reminded of while it does not */
    public Notifier(List<Channel> channels, Outbox outbox, Scheduler scheduler, Duration sweep, BooleanSupplier acting) {
        this.acting = acting;
        this.channels = List.copyOf(channels);
        this.outbox = outbox;
        this.scheduler = scheduler;
        this.sweep = sweep;
    }

    /** Starts sending, and looking for reminders. */
    public void start() {
        outbox.start();
        scheduler.schedule(this::remind, sweep);
    }

    /** For {@code StatusStore.onUpdate}: every write of a stack's status; {@code after} null when it was removed. */
    public void stackUpdated(StackStatus before, StackStatus after) {
        Notices.of(before, after, scheduler.clock().instant()).forEach(this::publish);
    }

    /** For {@code SourceSync.onRefreshed}. */
    public void sourceRefreshed(SourceStatus status) {
        publish(Notices.source(status, scheduler.clock().instant()));
    }

    void publish(Notice notice) {
        if (!acting.getAsBoolean()) {
            return;
        }
        for (Channel channel : channels) {
            if (channel.filter().accepts(notice) && channel.sink().handles(notice)) {
                channel.dedupe().admit(notice).ifPresent(news -> outbox.offer(channel, news));
            }
        }
    }

    private void remind() {
        if (closed) {
            return;
        }
        try {
            for (Channel channel : channels) {
                if (acting.getAsBoolean()) {
                    channel.dedupe().reminders(scheduler.clock().instant()).forEach(notice -> outbox.offer(channel, notice));
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "looking for notification reminders failed", e);
        } finally {
            scheduler.schedule(this::remind, sweep);
        }
    }

    @Override
    public void close() {
        closed = true;
        outbox.close();
    }
}
