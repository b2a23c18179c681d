package io.stackwarden.loop;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stacks suspended at run time through the API, on top of {@code suspend:} in {@code stackwarden.yaml}.
 * Kept in memory: a restart resumes them, which the API documents.
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
}
