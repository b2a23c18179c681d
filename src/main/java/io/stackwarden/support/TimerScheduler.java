package io.stackwarden.support;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The production {@link Scheduler}: one daemon timer thread and the system clock. */
public final class TimerScheduler implements Scheduler, AutoCloseable {

    private final Clock clock;
    private final ScheduledExecutorService timer;

    public TimerScheduler(String threadName, Clock clock) {
        this.clock = clock;
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public void schedule(Runnable task, Duration delay) {
        try {
            timer.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // Closed: shutting down, nothing scheduled now matters any more.
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
