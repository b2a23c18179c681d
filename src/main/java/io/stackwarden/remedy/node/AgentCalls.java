package io.stackwarden.remedy.node;

import io.stackwarden.agent.ActionRequest;
import io.stackwarden.agent.ActionResult;
import io.stackwarden.agent.AgentAction;
import io.stackwarden.agent.Candidates;
import io.stackwarden.agent.CandidatesRequest;

import java.net.URI;

/** Calls to the node agents. A port, so the node remedies are unit-tested on a fake; {@link HttpAgentCalls} is the real one. */
public interface AgentCalls {

    /**
     * Asks the agent at {@code agent} for one action about one container.
     *
     * @throws Unavailable when the agent does not answer, refuses the token, or answers what is no result
     */
    ActionResult act(URI agent, AgentAction action, ActionRequest request);

    /** @throws Unavailable as {@link #act} */
    Candidates candidates(URI agent, CandidatesRequest request);

    /** No answer that says what the agent did; it may not have done anything. */
    final class Unavailable extends RuntimeException {

        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
