package io.stackwarden.api;

import io.stackwarden.swarm.NodeInfo;
import io.stackwarden.swarm.ServiceTasks;
import io.stackwarden.swarm.TaskInfo;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A stack's tasks by node, as the engine keeps them (current ones and recent history), for people: nodes by
 * hostname, tasks by service and slot, newest first within a slot.
 */
public record TasksView(String stack, List<Node> nodes) {

    /** Tasks the orchestrator has not placed yet are listed under this node. */
    static final String UNASSIGNED = "(not assigned)";

    /** @param node the node's hostname, its ID when the node is not known, or {@link #UNASSIGNED} */
    public record Node(String node, String nodeId, List<Task> tasks) {
    }

    /**
     * @param since when the task reached its state, null when unknown
     */
    public record Task(String service, String slot, String state, String desiredState, String error, Instant since) {
    }

    public static TasksView of(String stack, List<ServiceTasks> services, List<NodeInfo> known) {
        Map<String, String> hostnames = known.stream().collect(Collectors.toMap(NodeInfo::id, NodeInfo::hostname, (a, b) -> a));
        Map<String, List<Task>> byNode = new TreeMap<>();
        Map<String, String> nodeIds = new TreeMap<>();
        for (ServiceTasks service : services) {
            for (TaskInfo task : service.tasks()) {
                String id = task.nodeId() == null ? "" : task.nodeId();
                String node = id.isEmpty() ? UNASSIGNED : hostnames.getOrDefault(id, id);
                nodeIds.put(node, id);
                byNode.computeIfAbsent(node, n -> new ArrayList<>()).add(new Task(service.service().name(), task.slot(),
                        task.state(), task.desiredState(), task.error(),
                        Instant.EPOCH.equals(task.timestamp()) ? null : task.timestamp()));
            }
        }
        Comparator<Task> order = Comparator.comparing(Task::service).thenComparing(Task::slot, TasksView::numeric)
                .thenComparing(Task::since, Comparator.nullsLast(Comparator.<Instant>reverseOrder()));
        List<Node> nodes = byNode.entrySet().stream()
                .map(e -> new Node(e.getKey(), nodeIds.get(e.getKey()), e.getValue().stream().sorted(order).toList()))
                .toList();
        return new TasksView(stack, nodes);
    }

    /** Slots are numbers for replicated services and empty for global ones: 2 before 10. */
    private static int numeric(String a, String b) {
        Function<String, String> padded = s -> s == null ? "" : "0".repeat(Math.max(0, 12 - s.length())) + s;
        return padded.apply(a).compareTo(padded.apply(b));
    }
}
