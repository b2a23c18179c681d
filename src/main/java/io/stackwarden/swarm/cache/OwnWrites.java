package io.stackwarden.swarm.cache;

import io.stackwarden.swarm.ObjectKey;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes of ours whose event has not come back yet, by kind and name (what the event names). The writer stores
 * what it wrote itself, so the echo of its own write is neither read again nor taken for someone else's change
 * (which would trigger another pass). An echo that never comes (the stream dropped) is forgotten after
 * {@link #PATIENCE}, and all are on a reconnect. Thread-safe.
 */
final class OwnWrites {

    static final Duration PATIENCE = Duration.ofSeconds(30);

    private final Clock clock;
    private final Map<ObjectKey, Deque<Instant>> expected = new HashMap<>();
    /** When each object was last written by us, for {@link #wroteLately}; entries older than PATIENCE are dropped. */
    private final Map<ObjectKey, Instant> written = new HashMap<>();

    OwnWrites(Clock clock) {
        this.clock = clock;
    }

    /** Before the write: its event may arrive before the write call returns. */
    synchronized void expect(ObjectKey key) {
        Instant now = clock.instant();
        expected.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(now);
        written.values().removeIf(at -> at.isBefore(now.minus(PATIENCE)));
        written.put(key, now);
    }

    /**
     * Whether we wrote {@code key} within {@link #PATIENCE}: an event of it that comes before the write call has
     * returned and read the object back (the manager's own update of a new object, right after its create) is
     * then no one else's change.
     */
    synchronized boolean wroteLately(ObjectKey key) {
        Instant at = written.get(key);
        return at != null && !at.isBefore(clock.instant().minus(PATIENCE));
    }

    /** The write failed: no event comes for it. */
    synchronized void cancel(ObjectKey key) {
        Deque<Instant> times = expected.get(key);
        if (times != null) {
            times.pollLast();
            if (times.isEmpty()) {
                expected.remove(key);
            }
        }
    }

    /** Whether an event for {@code key} is the echo of a write of ours; it is then no longer expected. */
    synchronized boolean echo(ObjectKey key) {
        Deque<Instant> times = expected.get(key);
        if (times == null) {
            return false;
        }
        Instant oldest = clock.instant().minus(PATIENCE);
        while (!times.isEmpty() && times.peekFirst().isBefore(oldest)) {
            times.pollFirst();
        }
        boolean echo = times.pollFirst() != null;
        if (times.isEmpty()) {
            expected.remove(key);
        }
        return echo;
    }

    synchronized void clear() {
        expected.clear();
        written.clear();
    }
}
