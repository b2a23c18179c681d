package io.stackwarden.swarm;

import java.time.Instant;

/**
 * One task of a service, as far as status and remedies need it.
 *
 * @param desiredState what the orchestrator wants ({@code running}, {@code shutdown}, {@code remove}, ...)
 * @param state        what the task is ({@code new} ... {@code running}, {@code failed}, ...)
 * @param error        the task's error message, empty when none
 * @param timestamp    when the task reached its current state (the epoch when unknown)
 */
public record TaskInfo(String id, String serviceId, String nodeId, String slot, String desiredState, String state,
                       String error, String containerId, Instant timestamp) {

    /** A task whose state time is unknown. */
    public TaskInfo(String id, String serviceId, String nodeId, String slot, String desiredState, String state,
                    String error, String containerId) {
        this(id, serviceId, nodeId, slot, desiredState, state, error, containerId, Instant.EPOCH);
    }

    public boolean running() {
        return "running".equals(state) && "running".equals(desiredState);
    }

    /** On its way to running: created, scheduled or starting. */
    public boolean starting() {
        return "running".equals(desiredState) && switch (state) {
            case "new", "pending", "assigned", "accepted", "ready", "preparing", "starting" -> true;
            default -> false;
        };
    }

    /** Ended without being asked to: failed while running, or rejected before it could start. */
    public boolean failed() {
        return "failed".equals(state) || "rejected".equals(state);
    }
}
