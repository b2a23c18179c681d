package io.stackwarden.swarm;

import java.time.Duration;
import java.util.Map;

/**
 * A task the orchestrator wants stopped or removed (desired state {@code shutdown} or {@code remove}), of a live or a
 * removed service, as the node remedies need it.
 *
 * @param state           what the task is now; {@code running} means its container still runs
 * @param containerLabels the labels of its container spec (the stack label among them)
 * @param stopGrace       its stop grace period (the engine's default, 10s, when the spec sets none)
 */
public record StoppingTask(String id, String serviceId, String nodeId, String containerId, String desiredState,
                           String state, Map<String, String> containerLabels, Duration stopGrace) {

    public StoppingTask {
        containerLabels = Map.copyOf(containerLabels);
    }

    public boolean stillRunning() {
        return "running".equals(state);
    }
}
