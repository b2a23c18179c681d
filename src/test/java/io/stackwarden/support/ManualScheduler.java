package io.stackwarden.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * A {@link Scheduler} on a {@link ManualClock}: nothing runs until the test moves time with {@link #advance},
 * which runs the tasks that fall due, in the order of their due time, on the test's thread.
 */
public final class ManualScheduler implements Scheduler {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private record Task(Instant due, long order, Runnable action) {
    }

    private final ManualClock clock = new ManualClock();
    private final PriorityQueue<Task> tasks = new PriorityQueue<>(
            Comparator.comparing(Task::due).thenComparingLong(Task::order));
    private long scheduled;

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public synchronized void schedule(Runnable task, Duration delay) {
        tasks.add(new Task(clock.instant().plus(delay), scheduled++, task));
        notifyAll();
    }

    /** The tasks not run yet, as their delays from now, soonest first. */
    public synchronized List<Duration> pending() {
        List<Task> sorted = new ArrayList<>(tasks);
        sorted.sort(tasks.comparator());
        return sorted.stream().map(task -> Duration.between(clock.instant(), task.due())).toList();
    }

    /**
     * Waits (a condition, not a time window) until a task is scheduled that has not run, and answers its delay
     * from now; fails the test after 10 seconds without one.
     */
    public synchronized Duration awaitNext() throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (tasks.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("nothing was scheduled within " + PATIENCE);
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return Duration.between(clock.instant(), tasks.peek().due());
    }

    /** Moves time forward by {@code by}, running every task due on the way at its due time. */
    public void advance(Duration by) {
        Instant target = clock.instant().plus(by);
        for (Optional<Task> next = takeDue(target); next.isPresent(); next = takeDue(target)) {
            clock.set(next.get().due());
            next.get().action().run(); // outside the lock: a task may schedule the next one
        }
        clock.set(target);
    }

    private synchronized Optional<Task> takeDue(Instant until) {
        Task first = tasks.peek();
        return first != null && !first.due().isAfter(until) ? Optional.of(tasks.poll()) : Optional.empty();
    }
}
