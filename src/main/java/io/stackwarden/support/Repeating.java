package io.stackwarden.support;

import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A task run on a {@link Scheduler} again and again, {@code period} after each run ended, until stopped. A run that
 * fails is logged and the next one still comes: a periodic reader must outlive any one bad answer.
 */
public final class Repeating {

    private static final Logger LOG = Logger.getLogger(Repeating.class.getName());

    private final Scheduler scheduler;
    private final String what;
    private final Duration period;
    private final Runnable task;
    private volatile boolean stopped;

    private Repeating(Scheduler scheduler, String what, Duration period, Runnable task) {
        this.scheduler = scheduler;
        this.what = what;
        this.period = period;
        this.task = task;
    }

    /**
     * Runs {@code task} {@code first} from now, then {@code period} after each run.
     *
     * @param what names the task in the log of a failed run
     */
    public static Repeating start(Scheduler scheduler, String what, Duration first, Duration period, Runnable task) {
        Repeating repeating = new Repeating(scheduler, what, period, task);
        scheduler.schedule(repeating::runAndReschedule, first);
        return repeating;
    }

    /** No run starts after this; one under way ends as it would. */
    public void stop() {
        stopped = true;
    }

    public boolean stopped() {
        return stopped;
    }

    private void runAndReschedule() {
        if (stopped) {
            return;
        }
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, what + " failed", e);
        } finally {
            if (!stopped) {
                scheduler.schedule(this::runAndReschedule, period);
            }
        }
    }
}
