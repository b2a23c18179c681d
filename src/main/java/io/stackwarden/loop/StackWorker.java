package io.stackwarden.loop;

import java.util.Set;

/** Runs one reconcile pass of one stack. The queue guarantees it never runs twice at once for a stack. */
@FunctionalInterface
public interface StackWorker {
    PassResult reconcile(String stack, Set<Trigger> triggers);
}
