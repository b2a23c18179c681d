package io.stackwarden.loop;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.logging.Logger;

/** The latest status of every stack; every change of sync or health is logged and reported to listeners. */
public final class StatusStore {

    private static final Logger LOG = Logger.getLogger(StatusStore.class.getName());

    private final Map<String, StackStatus> statuses = new ConcurrentHashMap<>();
    private final List<BiConsumer<StackStatus, StackStatus>> transitions = new CopyOnWriteArrayList<>();
    private final List<Runnable> changes = new CopyOnWriteArrayList<>();

    public void put(StackStatus status) {
        StackStatus previous = statuses.put(status.stack(), status);
        changes.forEach(Runnable::run);
        StackStatus before = previous == null ? StackStatus.unknown(status.stack()) : previous;
        if (before.sync() != status.sync() || before.health() != status.health()) {
            LOG.info(() -> "stack " + status.stack() + ": sync " + before.sync() + " -> " + status.sync()
                    + ", health " + before.health() + " -> " + status.health() + " (" + status.message() + ")");
            transitions.forEach(listener -> listener.accept(before, status));
        }
    }

    public void remove(String stack) {
        StackStatus removed = statuses.remove(stack);
        if (removed != null) {
            changes.forEach(Runnable::run);
            LOG.info(() -> "stack " + stack + ": removed");
            transitions.forEach(listener -> listener.accept(removed, null));
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

    /** Called after every put and removal (the saved state follows the statuses). */
    public void onChange(Runnable listener) {
        changes.add(listener);
    }

    /** Called with (before, after) on every change of sync or health; after is null when the stack was removed. */
    public void onTransition(BiConsumer<StackStatus, StackStatus> listener) {
        transitions.add(listener);
    }
}
