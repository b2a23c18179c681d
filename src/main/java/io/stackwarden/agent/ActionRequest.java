package io.stackwarden.agent;

/**
 * A request about one container (kill-shim, remove-leftover). The agent acts only when the container on its node
 * has exactly this full ID, carries the swarm task ID label {@code task} and the stack label {@code stack}.
 *
 * @param reason    why Stackwarden asks (logged by the agent)
 * @param requester who asks (logged by the agent)
 */
public record ActionRequest(String stack, String container, String task, String reason, String requester) {
}
