package io.stackwarden.desired.source;

import java.util.Set;
import java.util.TreeSet;

/**
 * The stacks whose files changed between two revisions of the source: a few by name (added, changed
 * and removed folders alike, so a removed one gets its pass and is pruned), or all of them (the
 * shared {@code stackwarden.yaml} changed, or the source became readable).
 */
public record ChangedStacks(boolean all, Set<String> stacks) {

    public ChangedStacks {
        stacks = all ? Set.of() : Set.copyOf(stacks);
    }

    public static ChangedStacks none() {
        return new ChangedStacks(false, Set.of());
    }

    public static ChangedStacks everything() {
        return new ChangedStacks(true, Set.of());
    }

    public static ChangedStacks of(Set<String> stacks) {
        return new ChangedStacks(false, stacks);
    }

    public boolean isEmpty() {
        return !all && stacks.isEmpty();
    }

    @Override
    public String toString() {
        return all ? "all stacks" : String.join(", ", new TreeSet<>(stacks));
    }
}
