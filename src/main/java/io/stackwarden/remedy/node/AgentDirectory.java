package io.stackwarden.remedy.node;

import io.stackwarden.swarm.SwarmEngine;
import io.stackwarden.swarm.SwarmObject;
import io.stackwarden.swarm.TaskAddresses;
import io.stackwarden.swarm.TaskPlacement;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Where each node's agent answers: the running tasks of the services labelled {@value #ROLE_LABEL}={@value #ROLE_AGENT},
 * found anew on every scan. A service Stackwarden deployed itself is never an agent, whatever its labels: a stack in
 * the repository could otherwise set that label and be sent the agent token (the real agents run in Stackwarden's own
 * stack, which it never deploys, or are deployed by hand). Never through a service's virtual IP (no IPVS on some kernels, and a VIP would pick any
 * node's agent): either each task's own overlay address, or its node's address and the port the agent publishes there.
 */
public final class AgentDirectory {

    public static final String ROLE_LABEL = "io.stackwarden.role";
    public static final String ROLE_AGENT = "agent";

    /** How Stackwarden reaches an agent. */
    public enum AddressMode {
        /** The agent task's address on the overlay network it shares with Stackwarden (Stackwarden runs as a service). */
        OVERLAY,
        /** The node's address and the agent's port published there in host mode (Stackwarden runs outside the swarm). */
        NODE
    }

    private final SwarmEngine engine;
    private final TaskPlacement placement;
    private final AddressMode mode;
    private final int port;
    private final Predicate<Map<String, String>> deployed;

    /** @param deployed whether a service's labels say Stackwarden deployed it */
    public AgentDirectory(SwarmEngine engine, TaskPlacement placement, AddressMode mode, int port,
                          Predicate<Map<String, String>> deployed) {
        this.engine = engine;
        this.placement = placement;
        this.mode = mode;
        this.port = port;
        this.deployed = deployed;
    }

    /** Node ID to the base URI of its agent, for the nodes that run one. */
    public Map<String, URI> agents() {
        List<String> services = engine.list(SwarmObject.Kind.SERVICE, ROLE_LABEL, ROLE_AGENT).stream()
                .filter(service -> !deployed.test(service.labels())).map(SwarmObject::id).toList();
        List<TaskAddresses> tasks = placement.running(services);
        Map<String, String> nodes = mode == AddressMode.NODE && !tasks.isEmpty() ? placement.nodeAddresses() : Map.of();
        Map<String, URI> agents = new HashMap<>();
        for (TaskAddresses task : tasks) {
            String host = mode == AddressMode.NODE ? nodes.getOrDefault(task.nodeId(), "")
                    : task.addresses().isEmpty() ? "" : task.addresses().get(0);
            if (!host.isEmpty()) {
                agents.put(task.nodeId(), URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port));
            }
        }
        return agents;
    }
}
