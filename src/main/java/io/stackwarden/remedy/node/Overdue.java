package io.stackwarden.remedy.node;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Things a scan finds again and again (a stuck task, a leftover container), each due for action once it has been seen
 * for its own wait, with a bounded number of attempts. Time is the scan's clock: what was there before Stackwarden
 * started waits the full time again. Whatever a scan no longer finds is forgotten.
 *
 * @param <K> what identifies one (a task ID, a container ID)
 */
final class Overdue<K> {

    enum State { WAITING, DUE, EXHAUSTED }

    /** Where one stands: due at {@code due}, after {@code attempts} attempts so far, and the last one's outcome. */
    record Entry(State state, Instant due, int attempts, String last) {
    }

    private static final class Tracked {
        Instant due;
        int attempts;
        String last = "";

        Tracked(Instant due) {
            this.due = due;
        }
    }

    private final int maxAttempts;
    private final Map<K, Tracked> tracked = new HashMap<>();

    Overdue(int maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    /**
     * What was found now, each with its wait from when it was first seen; returns where each stands.
     */
    Map<K, Entry> see(Map<K, Duration> found, Instant now) {
        tracked.keySet().retainAll(found.keySet());
        Map<K, Entry> entries = new HashMap<>();
        found.forEach((key, wait) -> {
            Tracked one = tracked.computeIfAbsent(key, k -> new Tracked(now.plus(wait)));
            State state = one.attempts >= maxAttempts ? State.EXHAUSTED : now.isBefore(one.due) ? State.WAITING : State.DUE;
            entries.put(key, new Entry(state, one.due, one.attempts, one.last));
        });
        return entries;
    }

    /** An attempt was made at {@code now}; if it is found again, the next one is due after {@code wait}. */
    void attempted(K key, Instant now, Duration wait, String outcome) {
        Tracked one = tracked.get(key);
        if (one != null) {
            one.attempts++;
            one.due = now.plus(wait);
            one.last = outcome;
        }
    }

    int maxAttempts() {
        return maxAttempts;
    }
}
