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

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
