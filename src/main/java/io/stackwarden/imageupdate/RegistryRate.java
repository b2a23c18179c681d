package io.stackwarden.imageupdate;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * At most so many tag lookups per minute to one registry (a token bucket: a burst of that size, then evenly
 * refilled): a watch of many stacks, or a flood of push notifications, must not trip a registry's own rate
 * limit. Not thread-safe: the watch runs on one thread.
 */
final class RegistryRate {

    private final int perMinute;
    private final Map<String, Bucket> buckets = new HashMap<>();

    private record Bucket(double tokens, Instant at) {
    }

    RegistryRate(int perMinute) {
        if (perMinute < 1) {
            throw new IllegalArgumentException("perMinute must be at least 1: " + perMinute);
        }
        this.perMinute = perMinute;
    }

    /** Takes a lookup of {@code registry} at {@code now}; else says how long until one is allowed. */
    Duration take(String registry, Instant now) {
        Bucket bucket = buckets.getOrDefault(registry, new Bucket(perMinute, now));
        double elapsed = Math.max(0, Duration.between(bucket.at(), now).toMillis()) / 60_000.0;
        double tokens = Math.min(perMinute, bucket.tokens() + elapsed * perMinute);
        if (tokens >= 1) {
            buckets.put(registry, new Bucket(tokens - 1, now));
            return Duration.ZERO;
        }
        buckets.put(registry, new Bucket(tokens, now));
        return Duration.ofMillis((long) Math.ceil((1 - tokens) * 60_000.0 / perMinute));
    }
}
