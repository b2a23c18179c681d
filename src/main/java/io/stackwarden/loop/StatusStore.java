package io.stackwarden.loop;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.logging.Logger;

/**
 * The latest status of every stack and its recent passes; every change of sync or health is logged and
 * reported to transition listeners, every write (each pass's end, each removal) to update listeners
 * (notifications).
 */
public final class StatusStore {

    private static final Logger LOG = Logger.getLogger(StatusStore.class.getName());
    /** Passes kept per stack: enough to see what happened lately, bounded whatever the churn. */
    public static final int HISTORY = 20;

    private final Map<String, StackStatus> statuses = new ConcurrentHashMap<>();
    private final Map<String, Deque<StackStatus.Operation>> history = new ConcurrentHashMap<>();
    private final AtomicLong version = new AtomicLong();
    private final List<BiConsumer<StackStatus, StackStatus>> transitions = new CopyOnWriteArrayList<>();
    private final List<BiConsumer<StackStatus, StackStatus>> updates = new CopyOnWriteArrayList<>();

    public void put(StackStatus status) {
        StackStatus previous = statuses.put(status.stack(), status);
        if (status.lastOperation() != null && (previous == null || previous.lastOperation() != status.lastOperation())) {
            Deque<StackStatus.Operation> passes = history.computeIfAbsent(status.stack(), stack -> new ArrayDeque<>());
            synchronized (passes) {
                passes.addFirst(status.lastOperation());
                while (passes.size() > HISTORY) {
                    passes.removeLast();
                }
            }
        }
        version.incrementAndGet();
        StackStatus before = previous == null ? StackStatus.unknown(status.stack()) : previous;
        if (before.sync() != status.sync() || before.health() != status.health()) {
            LOG.info(() -> "stack " + status.stack() + ": sync " + before.sync() + " -> " + status.sync()
                    + ", health " + before.health() + " -> " + status.health() + " (" + status.message() + ")");
            transitions.forEach(listener -> listener.accept(before, status));
        }
        updates.forEach(listener -> listener.accept(before, status));
    }

    public void remove(String stack) {
        StackStatus removed = statuses.remove(stack);
        history.remove(stack);
        version.incrementAndGet();
        if (removed != null) {
            LOG.info(() -> "stack " + stack + ": removed");
            transitions.forEach(listener -> listener.accept(removed, null));
            updates.forEach(listener -> listener.accept(removed, null));
        }
    }

    public Optional<StackStatus> get(String stack) {
        return Optional.ofNullable(statuses.get(stack));
    }

    public List<StackStatus> all() {
        List<StackStatus> all = new ArrayList<>(statuses.values());
        all.sort(Comparator.comparing(StackStatus::stack));
        return all;
    }

    /** Every stack's status becomes the given one; stacks not among them are removed (a standby mirroring the leader). */
    public void replaceAll(List<StackStatus> all) {
        java.util.Set<String> kept = new java.util.HashSet<>();
        for (StackStatus status : all) {
            kept.add(status.stack());
            if (!status.equals(statuses.get(status.stack()))) {
                put(status);
            }
        }
        List.copyOf(statuses.keySet()).stream().filter(stack -> !kept.contains(stack)).forEach(this::remove);
    }
    /** The stack's latest passes, newest first, at most {@link #HISTORY}. */
    public List<StackStatus.Operation> operations(String stack) {
        Deque<StackStatus.Operation> passes = history.get(stack);
        if (passes == null) {
            return List.of();
        }
        synchronized (passes) {
            return List.copyOf(passes);
        }
    }

    /** Grows on every change of any status: equal versions mean nothing changed in between (a cheap ETag). */
    public long version() {
        return version.get();
    }

    /** Called with (before, after) on every change of sync or health; after is null when the stack was removed. */
    public void onTransition(BiConsumer<StackStatus, StackStatus> listener) {
        transitions.add(listener);
    }

    /**
     * Called with (before, after) on every write, changed or not, on the pass's own thread (so a listener must
     * return at once); after is null when the stack was removed. Before a stack's first write, before is
     * {@link StackStatus#unknown}.
     */
    public void onUpdate(BiConsumer<StackStatus, StackStatus> listener) {
        updates.add(listener);
    }
}
