package io.stackwarden.loop;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stacks suspended at run time through the API, on top of {@code suspend:} in {@code stackwarden.yaml}. Saved with
 * the stacks' state ({@link SavedState}), so a restart or a take-over keeps them.
 */
public final class SuspendOverrides {

    private final Set<String> suspended = ConcurrentHashMap.newKeySet();

    public void suspend(String stack) {
        suspended.add(stack);
    }

    public void resume(String stack) {
        suspended.remove(stack);
    }

    public boolean suspended(String stack) {
        return suspended.contains(stack);
    }

    public Set<String> all() {
        return Set.copyOf(suspended);
    }

    /** Exactly these stacks are suspended from now on (the saved state read back). */
    public void replaceAll(Set<String> stacks) {
        suspended.retainAll(stacks);
        suspended.addAll(stacks);
    }
}
