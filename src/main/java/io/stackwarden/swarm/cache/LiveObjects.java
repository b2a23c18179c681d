package io.stackwarden.swarm.cache;

import io.stackwarden.swarm.SwarmObject;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cached objects of every kind by ID. Reads of one object (after an event or a write) and full listings
 * race each other, so each change is stamped: a listing replaces only what did not change after it started,
 * an older version never replaces a newer one, and a removed object never comes back from a late read
 * (swarm IDs are never reused). Thread-safe.
 */
final class LiveObjects {

    private record Entry(SwarmObject object, long stamp) {
    }

    private final Map<String, Entry> byId = new LinkedHashMap<>();
    /** IDs removed since the last full listing started, with the stamp of the removal. */
    private final Map<String, Long> removed = new HashMap<>();
    private long stamp;

    /** The stamp a listing started now compares against. */
    synchronized long stamp() {
        return stamp;
    }

    synchronized void put(SwarmObject object) {
        Entry current = byId.get(object.id());
        if (removed.containsKey(object.id()) || current != null && current.object().version() > object.version()) {
            return;
        }
        byId.put(object.id(), new Entry(object, ++stamp));
    }

    synchronized void remove(String id) {
        byId.remove(id);
        removed.put(id, ++stamp);
    }

    synchronized Optional<SwarmObject> get(String id) {
        return Optional.ofNullable(byId.get(id)).map(Entry::object);
    }

    synchronized List<SwarmObject> all(SwarmObject.Kind kind) {
        return byId.values().stream().map(Entry::object).filter(o -> o.kind() == kind).toList();
    }

    synchronized int size() {
        return byId.size();
    }

    /** Replaces every object of {@code kind} with a listing that started at stamp {@code since}. */
    synchronized void replace(SwarmObject.Kind kind, List<SwarmObject> listed, long since) {
        Map<String, SwarmObject> next = new LinkedHashMap<>();
        listed.forEach(object -> next.put(object.id(), object));
        removed.forEach((id, at) -> {
            if (at > since) {
                next.remove(id);
            }
        });
        for (Entry entry : byId.values()) {
            if (entry.object().kind() == kind && entry.stamp() > since) {
                next.merge(entry.object().id(), entry.object(), (a, b) -> a.version() >= b.version() ? a : b);
            }
        }
        byId.values().removeIf(entry -> entry.object().kind() == kind);
        next.values().forEach(object -> byId.put(object.id(), new Entry(object, ++stamp)));
    }

    /** After a full listing that started at {@code since}: removals before it are in the listing already. */
    synchronized void forgetRemovedBefore(long since) {
        removed.values().removeIf(at -> at <= since);
    }
}
