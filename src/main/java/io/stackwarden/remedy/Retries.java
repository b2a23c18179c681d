package io.stackwarden.remedy;

import io.stackwarden.swarm.SwarmObject;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The retries a remedy made for each service of each stack, counted per spec: a new spec (from the files or by hand)
 * starts the count again; the force-update counter, the retry itself, is no new spec. A stack's entries are touched
 * by one pass of that stack at a time (the work queue's rule). The counts are saved with the stack's state
 * ({@link #counts}, {@link #restore}), so a restart or a take-over goes on counting where the last instance stopped.
 */
public final class Retries {

    /**
     * The retries made for one service's spec, as they are saved.
     *
     * @param spec a hash of the service's spec without its force-update counter
     */
    public record Count(String spec, int retries) {
    }

    /** The retries of one service for one spec (its hash). */
    static final class Attempts {
        final String spec;
        volatile int retries;
        /** When the next retry is due; null while none is. */
        Instant due;
        /** Whether giving up was counted (once per spec). */
        boolean exhaustedCounted;

        private Attempts(String spec) {
            this.spec = spec;
        }
    }

    private final Map<String, Map<String, Attempts>> stacks = new ConcurrentHashMap<>();

    /** The stack's services now (by ID): those gone are forgotten, and the stack with them when none is left. */
    void keep(String stack, Set<String> services) {
        if (services.isEmpty()) {
            stacks.remove(stack);
            return;
        }
        stacks.computeIfAbsent(stack, s -> new ConcurrentHashMap<>()).keySet().retainAll(services);
    }

    /** The service's attempts for its current spec. */
    Attempts of(String stack, SwarmObject service) {
        String spec = hash(ForcedUpdate.specWithoutCounter(service.spec()));
        return stacks.computeIfAbsent(stack, s -> new ConcurrentHashMap<>())
                .compute(service.id(), (id, old) -> old != null && old.spec.equals(spec) ? old : new Attempts(spec));
    }

    /** The retries made per service ID of {@code stack}, for the services that have any. */
    public Map<String, Count> counts(String stack) {
        Map<String, Count> counts = new TreeMap<>();
        stacks.getOrDefault(stack, Map.of()).forEach((service, attempts) -> {
            if (attempts.retries > 0) {
                counts.put(service, new Count(attempts.spec, attempts.retries));
            }
        });
        return counts;
    }

    /**
     * Takes saved counts of {@code stack} in place of what this instance counted: a service whose spec is still the
     * one counted goes on from there, one whose spec changed starts again.
     */
    public void restore(String stack, Map<String, Count> counts) {
        Map<String, Attempts> restored = new ConcurrentHashMap<>();
        counts.forEach((service, count) -> {
            Attempts attempts = new Attempts(count.spec());
            attempts.retries = count.retries();
            restored.put(service, attempts);
        });
        if (restored.isEmpty()) {
            stacks.remove(stack);
        } else {
            stacks.put(stack, restored);
        }
    }

    /** Forgets every count (a standby keeps none of its own: the leader's are saved). */
    public void clear() {
        stacks.clear();
    }

    private static String hash(String spec) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(spec.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
