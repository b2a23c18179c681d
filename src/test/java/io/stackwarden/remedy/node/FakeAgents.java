package io.stackwarden.remedy.node;

import io.stackwarden.agent.ActionRequest;
import io.stackwarden.agent.ActionResult;
import io.stackwarden.agent.AgentAction;
import io.stackwarden.agent.Candidates;
import io.stackwarden.agent.CandidatesRequest;
import io.stackwarden.agent.LeftoverCandidate;
import io.stackwarden.swarm.StoppingTask;
import io.stackwarden.swarm.TaskAddresses;
import io.stackwarden.swarm.TaskPlacement;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The swarm's task placement and the node agents, in memory: what the node remedies read and whom they call. */
final class FakeAgents implements TaskPlacement, AgentCalls {

    /** A call made to an agent. */
    record Call(URI agent, AgentAction action, ActionRequest request) {
    }

    final List<StoppingTask> stopping = new ArrayList<>();
    final List<TaskAddresses> agentTasks = new ArrayList<>();
    final Map<String, String> nodeAddresses = new HashMap<>();
    /** Each node's containers as its agent lists them (by node ID). */
    final Map<String, List<LeftoverCandidate>> containers = new HashMap<>();
    final List<Call> calls = new ArrayList<>();
    /** How the agents answer an action; by default they did it. */
    Function<Call, ActionResult> answer = call -> new ActionResult(call.action() == AgentAction.KILL_SHIM
            ? ActionResult.Outcome.KILLED : ActionResult.Outcome.REMOVED, "node", call.request().container(),
            call.action() == AgentAction.KILL_SHIM ? 4242 : 0, "done");
    boolean unavailable;
    /** Calls of list-leftover-candidates made. */
    int listed;
    /** Run at each such call: what happens meanwhile (a lease lost in the middle of a scan). */
    Runnable beforeList = () -> { };

    @Override
    public List<StoppingTask> stopping() {
        return List.copyOf(stopping);
    }

    @Override
    public List<TaskAddresses> running(Collection<String> serviceIds) {
        return agentTasks.stream().filter(task -> serviceIds.contains(task.serviceId())).toList();
    }

    @Override
    public Map<String, String> nodeAddresses() {
        return Map.copyOf(nodeAddresses);
    }

    @Override
    public ActionResult act(URI agent, AgentAction action, ActionRequest request) {
        Call call = new Call(agent, action, request);
        calls.add(call);
        if (unavailable) {
            throw new Unavailable(action.label() + " at " + agent + ": Connection refused", null);
        }
        return answer.apply(call);
    }

    @Override
    public Candidates candidates(URI agent, CandidatesRequest request) {
        listed++;
        beforeList.run();
        String node = agentTasks.stream().filter(t -> agent.getHost().equals(t.addresses().get(0))).findFirst().orElseThrow().nodeId();
        return new Candidates(node, containers.getOrDefault(node, List.of()).stream()
                .filter(c -> request.stacks().contains(c.stack())).toList());
    }

    List<Call> calls(AgentAction action) {
        return calls.stream().filter(call -> call.action() == action).toList();
    }
}
