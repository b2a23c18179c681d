package io.stackwarden.support;

import java.time.Clock;
import java.time.Duration;

/**
 * Runs tasks later, on a clock. A port so that code which waits (backoff, look again soon) can be driven
 * by tests that move time by hand instead of sleeping.
 */
public interface Scheduler {

    /** The clock the delays are measured on. */
    Clock clock();

    /** Runs {@code task} once, {@code delay} from now on {@link #clock()}. */
    void schedule(Runnable task, Duration delay);
}
