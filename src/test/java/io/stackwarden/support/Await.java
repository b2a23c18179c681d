package io.stackwarden.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a condition by polling it. The bound is no measurement: it only ends a hopeless wait, so a slow
 * machine makes a test slower, never wrong.
 */
public final class Await {

    private static final Duration FIRST_POLL = Duration.ofMillis(10);
    private static final Duration MAX_POLL = Duration.ofMillis(500);

    private Await() {
    }

    public static void until(String what, Duration bound, BooleanSupplier condition) {
        until(what, bound, condition, () -> "");
    }

    /** @param context more to say when the wait fails, e.g. the daemon's output */
    public static void until(String what, Duration bound, BooleanSupplier condition, Supplier<String> context) {
        until(what, bound, FIRST_POLL, MAX_POLL, condition, context);
    }

    /**
     * Polls every {@code poll}, never slower: for a moment the test must catch while it lasts (a fault injected in the
     * middle of a pass), where a growing interval could miss it.
     */
    public static void everyUntil(Duration poll, String what, Duration bound, BooleanSupplier condition) {
        until(what, bound, poll, poll, condition, () -> "");
    }

    private static void until(String what, Duration bound, Duration first, Duration max, BooleanSupplier condition,
                              Supplier<String> context) {
        long deadline = System.nanoTime() + bound.toNanos();
        long poll = first.toMillis();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                String more = context.get();
                throw new AssertionError("not reached within " + bound + ": " + what + (more.isEmpty() ? "" : "\n" + more));
            }
            try {
                Thread.sleep(poll);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
            poll = Math.min(poll * 2, max.toMillis());
        }
    }
}
