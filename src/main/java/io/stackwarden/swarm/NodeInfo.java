package io.stackwarden.swarm;

/**
 * One swarm node as the manager reports it.
 *
 * @param state        {@code ready}, {@code down}, {@code unknown} or {@code disconnected}
 * @param availability {@code active}, {@code pause} or {@code drain}
 * @param reachability for a manager, {@code reachable}, {@code unreachable} or {@code unknown}; empty for a worker
 */
public record NodeInfo(String id, String hostname, boolean manager, boolean leader, String state, String availability,
                       String reachability) {

    public boolean ready() {
        return "ready".equals(state);
    }

    public boolean reachableManager() {
        return manager && "reachable".equals(reachability);
    }
}
