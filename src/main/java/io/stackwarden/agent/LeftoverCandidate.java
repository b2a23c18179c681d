package io.stackwarden.agent;

/**
 * A container on the agent's node that carries a stack label and a swarm task label: only IDs and labels.
 *
 * @param service the swarm service ID label ({@code com.docker.swarm.service.id})
 * @param state   the engine's container state ({@code running}, {@code exited}, ...)
 */
public record LeftoverCandidate(String container, String task, String service, String stack, String state) {
}
