package io.stackwarden.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.stackwarden.swarm.NodeInfo;
import io.stackwarden.swarm.ServiceTasks;
import io.stackwarden.swarm.SwarmObject;
import io.stackwarden.swarm.TaskInfo;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class TasksViewTest {

    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void groupsTasksByNodeHostnameInSlotOrderNewestFirst() {
        ServiceTasks app = service("s1", "web_app",
                task("a", "s1", "n1", "10", "running", T),
                task("b", "s1", "n1", "2", "running", T),
                task("c", "s1", "n1", "2", "failed", T.minusSeconds(60)),
                task("d", "s1", "n2", "1", "running", T));
        ServiceTasks db = service("s2", "web_db",
                task("e", "s2", "", "1", "pending", Instant.EPOCH),
                task("f", "s2", "gone", "", "running", T));
        List<NodeInfo> nodes = List.of(new NodeInfo("n1", "worker-1", false, false, "ready", "active", ""),
                new NodeInfo("n2", "manager-1", true, true, "ready", "active", "reachable"));

        TasksView view = TasksView.of("web", List.of(app, db), nodes);

        assertEquals(List.of(TasksView.UNASSIGNED, "gone", "manager-1", "worker-1"),
                view.nodes().stream().map(TasksView.Node::node).toList());
        TasksView.Node worker = view.nodes().get(3);
        assertEquals("n1", worker.nodeId());
        assertEquals(List.of("2 running", "2 failed", "10 running"),
                worker.tasks().stream().map(t -> t.slot() + " " + t.state()).toList());
        TasksView.Task pending = view.nodes().get(0).tasks().get(0);
        assertEquals("web_db", pending.service());
        assertNull(pending.since(), "an unknown time is no time");
        assertEquals("gone", view.nodes().get(1).nodeId(), "a node the monitor does not know yet is shown by its ID");
    }

    private static ServiceTasks service(String id, String name, TaskInfo... tasks) {
        return new ServiceTasks(new SwarmObject(SwarmObject.Kind.SERVICE, id, name, 1, Map.of(),
                JsonNodeFactory.instance.objectNode(), JsonNodeFactory.instance.objectNode()), List.of(tasks));
    }

    private static TaskInfo task(String id, String service, String node, String slot, String state, Instant at) {
        return new TaskInfo(id, service, node, slot, state.equals("failed") ? "shutdown" : "running", state, "", "", at);
    }
}
