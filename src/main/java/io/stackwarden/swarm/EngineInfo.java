package io.stackwarden.swarm;

/**
 * What the engine says about itself and its node's place in the swarm.
 *
 * @param localNodeState swarm state of the node: {@code active}, {@code inactive}, {@code pending}, {@code error}, {@code locked}
 * @param manager        true when the node can run swarm management commands
 */
public record EngineInfo(String engineVersion, String apiVersion, String nodeId, String nodeName,
                         String localNodeState, boolean manager) {

    /** Stackwarden can work only through an active swarm manager. */
    public boolean isActiveManager() {
        return manager && "active".equals(localNodeState);
    }
}
