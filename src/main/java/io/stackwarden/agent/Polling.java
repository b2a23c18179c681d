package io.stackwarden.agent;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** {@link NodeActions.Waiting} by asking again every quarter second: the engine sends the agent no events. */
final class Polling {

    private static final long INTERVAL_MILLIS = 250;

    private Polling() {
    }

    static boolean until(Duration bound, BooleanSupplier condition) {
        long end = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                return false;
            }
            try {
                Thread.sleep(INTERVAL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
