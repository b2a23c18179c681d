package io.stackwarden.support;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * At most so many uses per minute of one key (a token bucket per key: a burst of that size, then evenly refilled).
 * The image watch's tag lookups per registry (a watch of many stacks, or a flood of push notifications, must not trip
 * a registry's own rate limit), the node agents' actions. Not thread-safe: each user runs on one thread.
 */
public final class RateLimit {

    private final int perMinute;
    private final Map<String, Bucket> buckets = new HashMap<>();

    private record Bucket(double tokens, Instant at) {
    }

    public RateLimit(int perMinute) {
        if (perMinute < 1) {
            throw new IllegalArgumentException("perMinute must be at least 1: " + perMinute);
        }
        this.perMinute = perMinute;
    }

    /** Takes a use of {@code key} at {@code now} (zero), or says how long until one is allowed. */
    public Duration take(String key, Instant now) {
        Bucket bucket = buckets.getOrDefault(key, new Bucket(perMinute, now));
        double elapsed = Math.max(0, Duration.between(bucket.at(), now).toMillis()) / 60_000.0;
        double tokens = Math.min(perMinute, bucket.tokens() + elapsed * perMinute);
        if (tokens >= 1) {
            buckets.put(key, new Bucket(tokens - 1, now));
            return Duration.ZERO;
        }
        buckets.put(key, new Bucket(tokens, now));
        return Duration.ofMillis((long) Math.ceil((1 - tokens) * 60_000.0 / perMinute));
    }
}
