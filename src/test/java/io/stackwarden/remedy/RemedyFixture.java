package io.stackwarden.remedy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwarden.compose.engine.StackLabels;
import io.stackwarden.support.ManualClock;
import io.stackwarden.swarm.CountingSwarmEngine;
import io.stackwarden.swarm.FakeSwarm;
import io.stackwarden.swarm.NodeInfo;
import io.stackwarden.swarm.ServiceTasks;
import io.stackwarden.swarm.SwarmObject;
import io.stackwarden.swarm.TaskInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** The fake swarm of the remedies' tests: nodes m1, w1, w2 (linux, x86_64), services and their tasks per node. */
final class RemedyFixture {

    static final NodeInfo.Placement LINUX = new NodeInfo.Placement(Map.of(), Map.of(), "linux", "x86_64");

    final ManualClock clock = new ManualClock();
    final FakeSwarm swarm = new FakeSwarm();
    final CountingSwarmEngine engine = new CountingSwarmEngine(swarm);
    final NodeView nodes = new NodeView(clock);
    /** What the metric counted: "remedy outcome" per count. */
    final List<String> counted = new ArrayList<>();
    private int taskNumber;

    RemedyFixture() {
        swarm.clock = clock::instant;
    }

    void count(String remedy, RemedyOutcome outcome) {
        counted.add(remedy + " " + outcome);
    }

    static NodeInfo node(String name, String state, String availability) {
        return new NodeInfo("id-" + name, name, name.startsWith("m"), name.equals("m1"), state, availability,
                name.startsWith("m") ? "reachable" : "", LINUX);
    }

    static NodeInfo ready(String name) {
        return node(name, "ready", "active");
    }

    /** The three nodes, each ready and active unless given otherwise. */
    static List<NodeInfo> nodes(NodeInfo... changed) {
        List<NodeInfo> all = new ArrayList<>(List.of(ready("m1"), ready("w1"), ready("w2")));
        for (NodeInfo node : changed) {
            all.replaceAll(n -> n.id().equals(node.id()) ? node : n);
        }
        return all;
    }

    /** A service of stack {@code s}: replicated with {@code replicas}, or global when {@code replicas} is 0. */
    String service(String name, int replicas, Consumer<ObjectNode> more) {
        ObjectNode spec = new ObjectMapper().createObjectNode().put("Name", name);
        spec.putObject("Labels").put(StackLabels.NAMESPACE, "s");
        spec.putObject("TaskTemplate").putObject("ContainerSpec").put("Image", "app:1");
        if (replicas == 0) {
            spec.putObject("Mode").putObject("Global");
        } else {
            spec.putObject("Mode").putObject("Replicated").put("Replicas", replicas);
        }
        more.accept(spec);
        return swarm.create(SwarmObject.Kind.SERVICE, spec);
    }

    /** The service's running tasks: {@code counts[i]} on node {@code names[i]}. */
    void running(String service, List<String> names, int... counts) {
        List<TaskInfo> tasks = new ArrayList<>();
        String id = swarm.find(SwarmObject.Kind.SERVICE, service).orElseThrow().id();
        for (int i = 0; i < names.size(); i++) {
            for (int n = 0; n < counts[i]; n++) {
                tasks.add(task(id, names.get(i), "running", "running", ""));
            }
        }
        swarm.tasks.put(service, tasks);
    }

    TaskInfo task(String serviceId, String node, String desired, String state, String error) {
        return new TaskInfo("t" + ++taskNumber, serviceId, "id-" + node, "", desired, state, error, "", clock.instant());
    }

    long forceUpdate(String service) {
        return swarm.find(SwarmObject.Kind.SERVICE, service).orElseThrow().spec().at("/TaskTemplate/ForceUpdate").asLong(0);
    }

    List<ServiceTasks> read() {
        return ServiceTasks.read(swarm, StackLabels.NAMESPACE, "s");
    }
}
