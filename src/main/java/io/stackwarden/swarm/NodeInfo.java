package io.stackwarden.swarm;

import java.util.Map;

/**
 * One swarm node as the manager reports it.
 *
 * @param state        {@code ready}, {@code down}, {@code unknown} or {@code disconnected}
 * @param availability {@code active}, {@code pause} or {@code drain}
 * @param reachability for a manager, {@code reachable}, {@code unreachable} or {@code unknown}; empty for a worker
 * @param placement    what placement constraints match against: labels and platform
 */
public record NodeInfo(String id, String hostname, boolean manager, boolean leader, String state, String availability,
                       String reachability, Placement placement) {

    /**
     * @param labels       the node's own labels ({@code node.labels.*}, set with {@code docker node update})
     * @param engineLabels the labels of its engine ({@code engine.labels.*})
     * @param os           {@code node.platform.os}, e.g. {@code linux}
     * @param architecture {@code node.platform.arch} as the engine reports it, e.g. {@code x86_64}
     */
    public record Placement(Map<String, String> labels, Map<String, String> engineLabels, String os, String architecture) {

        public static final Placement NONE = new Placement(Map.of(), Map.of(), "", "");

        public Placement {
            labels = Map.copyOf(labels);
            engineLabels = Map.copyOf(engineLabels);
        }
    }

    /** A node whose labels and platform do not matter to the caller. */
    public NodeInfo(String id, String hostname, boolean manager, boolean leader, String state, String availability,
                    String reachability) {
        this(id, hostname, manager, leader, state, availability, reachability, Placement.NONE);
    }

    public boolean ready() {
        return "ready".equals(state);
    }

    /** Whether the scheduler gives it new tasks: ready and active (neither drained nor paused). */
    public boolean schedulable() {
        return ready() && "active".equals(availability);
    }

    public boolean reachableManager() {
        return manager && "reachable".equals(reachability);
    }

    /** The node's name for people: its hostname, or its ID when it has none. */
    public String name() {
        return hostname.isEmpty() ? id : hostname;
    }
}
