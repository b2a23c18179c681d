package io.stackwarden.swarm;

/**
 * One task of a service, as far as status and remedies need it.
 *
 * @param desiredState what the orchestrator wants ({@code running}, {@code shutdown}, {@code remove}, ...)
 * @param state        what the task is ({@code new} ... {@code running}, {@code failed}, ...)
 * @param error        the task's error message, empty when none
 */
public record TaskInfo(String id, String serviceId, String nodeId, String slot, String desiredState, String state,
                       String error, String containerId) {

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
}
