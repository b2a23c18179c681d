package io.stackwarden.remedy;

import io.stackwarden.swarm.SwarmObject;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The retries a remedy made for each service of each stack, counted per spec: a new spec (from the files or by hand)
 * starts the count again; the force-update counter, the retry itself, is no new spec. A stack's entries are touched
 * by one pass of that stack at a time (the work queue's rule).
 */
final class Retries {

    /** The retries of one service for one spec. */
    static final class Attempts {
        final String spec;
        int retries;
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
        String spec = ForcedUpdate.specWithoutCounter(service.spec());
        return stacks.computeIfAbsent(stack, s -> new ConcurrentHashMap<>())
                .compute(service.id(), (id, old) -> old != null && old.spec.equals(spec) ? old : new Attempts(spec));
    }
}
