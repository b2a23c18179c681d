package io.stackwarden.support;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with "equal jitter": attempt n waits between half and all of
 * {@code min(max, initial * 2^n)}, so retries of many callers spread out but never exceed the cap.
 */
public final class Backoff {

    private final Duration initial;
    private final Duration max;
    private final DoubleSupplier random;

    public Backoff(Duration initial, Duration max, DoubleSupplier random) {
        if (initial.isZero() || initial.isNegative() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("need 0 < initial <= max, got " + initial + " and " + max);
        }
        this.initial = initial;
        this.max = max;
        this.random = random;
    }

    public Backoff(Duration initial, Duration max) {
        this(initial, max, Math::random);
    }

    /** Delay before retry number {@code attempt} (0 for the first retry). */
    public Duration delay(int attempt) {
        long ceiling = ceilingMillis(attempt);
        long half = ceiling / 2;
        return Duration.ofMillis(half + (long) (random.getAsDouble() * (ceiling - half)));
    }

    private long ceilingMillis(int attempt) {
        long maxMillis = max.toMillis();
        long value = initial.toMillis();
        for (int i = 0; i < attempt && value < maxMillis; i++) {
            value *= 2;
        }
        return Math.min(value, maxMillis);
    }
}
