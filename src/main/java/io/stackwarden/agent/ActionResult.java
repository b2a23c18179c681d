package io.stackwarden.agent;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What an agent did about one container.
 *
 * @param node   the agent's node (its swarm node ID)
 * @param pid    the host process killed, 0 when none
 * @param detail why, in words (never a secret)
 */
public record ActionResult(Outcome outcome, String node, String container, long pid, String detail) {

    /** How an action ended. */
    public enum Outcome {
        /** The shim was killed and the engine reports the container no longer running. */
        KILLED("killed"),
        /** The leftover container was removed. */
        REMOVED("removed"),
        /** The container was no longer running when the agent looked: nothing to kill. */
        NOT_STUCK_ANYMORE("not-stuck-anymore"),
        /** No such container on this node, or no shim process of it. */
        NOT_FOUND("not-found"),
        /** The request does not match the container (another stack or task, bad input): nothing was done. */
        REFUSED("refused"),
        /** Tried and failed (the engine, the helper container); the detail says why. */
        FAILED("failed");

        private final String label;

        Outcome(String label) {
            this.label = label;
        }

        @JsonValue
        @Override
        public String toString() {
            return label;
        }
    }
}
