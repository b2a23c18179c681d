package io.stackwarden.agent;

import java.util.Arrays;
import java.util.Optional;

/**
 * The closed list of what a node agent does, each one POST path. There is no free command: each action is about
 * one container the agent checks itself on its own node, or lists only IDs and labels.
 */
public enum AgentAction {

    /** Kill the {@code containerd-shim} of a stuck task's container (a task asked to stop whose container still runs). */
    KILL_SHIM("kill-shim"),
    /** Remove a container of a managed stack whose service is gone. */
    REMOVE_LEFTOVER("remove-leftover"),
    /** The node's containers of the named stacks: IDs and stack labels only. */
    LIST_LEFTOVER_CANDIDATES("list-leftover-candidates");

    /** Every path starts with this; the version is the protocol's. */
    public static final String PREFIX = "/v1/";

    private final String label;

    AgentAction(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public String path() {
        return PREFIX + label;
    }

    /** The action a request path names, if it names one. */
    public static Optional<AgentAction> ofPath(String path) {
        return Arrays.stream(values()).filter(action -> action.path().equals(path)).findFirst();
    }
}
