package io.stackwarden.support;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs blocking calls with a hard deadline. Needed because docker-java's unix-socket transport
 * ignores its own connect and read timeouts: a hung engine would otherwise block a caller forever.
 */
public final class Deadline implements AutoCloseable {

    private final ExecutorService executor;

    public Deadline(String threadName) {
        AtomicInteger count = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, threadName + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Calls {@code call}; on timeout interrupts it and throws {@link TimeoutException}. */
    public <T> T call(Duration timeout, Callable<T> call) throws Exception {
        Future<T> future = executor.submit(call);
        try {
            return future.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new TimeoutException("no answer within " + timeout);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception exception) {
                throw exception;
            }
            throw e;
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw e;
        }
    }

    /**
     * Like {@link #call}, for a call that opens something: a result that arrives after the deadline is
     * closed instead of leaking (a stream opened late would otherwise hold its connection forever).
     */
    public <T extends AutoCloseable> T open(Duration timeout, Callable<T> open) throws Exception {
        Handoff<T> handoff = new Handoff<>();
        try {
            return call(timeout, () -> {
                T opened = open.call();
                if (!handoff.offer(opened)) {
                    opened.close();
                }
                return opened;
            });
        } catch (Exception e) {
            T late = handoff.abandon();
            if (late != null) {
                late.close();
            }
            throw e;
        }
    }

    /** Hands an opened resource to the caller, or back to the opener once the caller gave up. */
    private static final class Handoff<T> {
        private T value;
        private boolean abandoned;

        synchronized boolean offer(T opened) {
            value = opened;
            return !abandoned;
        }

        synchronized T abandon() {
            abandoned = true;
            return value;
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
