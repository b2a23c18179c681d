package io.stackwarden.agent;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The agent's own node's engine, as far as its actions need it. A port, so that the checks of
 * {@link NodeActions} are unit-tested on a fake. Methods throw {@link io.stackwarden.swarm.EngineException}.
 */
public interface NodeEngine {

    /** The swarm node ID of this engine. */
    String nodeId();

    /** The container with exactly this full ID; empty when the engine has none. */
    Optional<Container> container(String id);

    /** Every container (running or not) that carries the label key. */
    List<Container> containersLabelled(String labelKey);

    /** Removes the container, stopping it first if it runs ({@code DELETE /containers/{id}?force=1}). */
    void remove(String id);

    /**
     * Runs the short-lived helper container (host PID mode, this node's engine, removed after) that kills the shim
     * of the container with this full ID.
     */
    HelperRun killShim(String containerId);

    /** A container as the engine reports it. */
    record Container(String id, Map<String, String> labels, boolean running, String state) {

        public Container {
            labels = Map.copyOf(labels);
        }
    }

    /**
     * The helper's exit code and output.
     *
     * @param exitCode {@link ShimKill#KILLED}, {@link ShimKill#NO_SHIM}, or another code on failure
     */
    record HelperRun(int exitCode, String output) {
    }
}
