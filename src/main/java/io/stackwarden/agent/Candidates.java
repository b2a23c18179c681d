package io.stackwarden.agent;

import java.util.List;

/** The answer to {@link AgentAction#LIST_LEFTOVER_CANDIDATES}: the agent's node and its containers of the named stacks. */
public record Candidates(String node, List<LeftoverCandidate> containers) {

    public Candidates {
        containers = List.copyOf(containers);
    }
}
