package io.stackwarden.remedy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwarden.swarm.NodeInfo;
import io.stackwarden.swarm.SwarmObject;
import io.stackwarden.swarm.TaskInfo;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which nodes count for a service, read as Swarm's scheduler reads constraints and platforms; and when a spread is uneven. */
class EligibilityTest {

    private static final NodeInfo M1 = new NodeInfo("id-m1", "m1", true, true, "ready", "active", "reachable",
            new NodeInfo.Placement(Map.of("Zone", "a"), Map.of("storage", "ssd"), "linux", "x86_64"));
    private static final NodeInfo W1 = new NodeInfo("id-w1", "w1", false, false, "ready", "active", "",
            new NodeInfo.Placement(Map.of("Zone", "b"), Map.of(), "linux", "aarch64"));
    private static final NodeInfo W2 = new NodeInfo("id-w2", "w2", false, false, "ready", "active", "",
            new NodeInfo.Placement(Map.of(), Map.of(), "windows", "x86_64"));
    private static final List<NodeInfo> ALL = List.of(M1, W1, W2);

    private static SwarmObject service(List<String> constraints, String... platforms) {
        ObjectNode spec = new ObjectMapper().createObjectNode().put("Name", "s_web");
        ObjectNode placement = spec.putObject("TaskTemplate").putObject("Placement");
        constraints.forEach(placement.putArray("Constraints")::add);
        for (String platform : platforms) {
            String[] parts = platform.split("/", -1);
            placement.withArray("Platforms").addObject().put("OS", parts[0]).put("Architecture", parts[1]);
        }
        return new SwarmObject(SwarmObject.Kind.SERVICE, "id", "s_web", 1, Map.of(), spec, spec);
    }

    private static List<String> eligible(List<String> constraints, String... platforms) {
        return Eligibility.of(service(constraints, platforms), ALL).stream().map(NodeInfo::name).toList();
    }

    @Test
    void everyConstraintMustHoldAndValuesIgnoreCase() {
        assertEquals(List.of("m1", "w1", "w2"), eligible(List.of()));
        assertEquals(List.of("w1", "w2"), eligible(List.of("node.role == worker")));
        assertEquals(List.of("m1"), eligible(List.of("node.role!=worker")));
        assertEquals(List.of("w1"), eligible(List.of("node.role==WORKER", "node.hostname != w2")));
        assertEquals(List.of("w2"), eligible(List.of("node.id==id-w2")));
        assertEquals(List.of("m1", "w1"), eligible(List.of("node.platform.os==Linux")));
        assertEquals(List.of("w1"), eligible(List.of("node.platform.arch==aarch64")));
    }

    @Test
    void labelNamesKeepTheirCaseAndAMissingLabelIsEmpty() {
        assertEquals(List.of("m1"), eligible(List.of("node.labels.Zone==A")));
        assertEquals(List.of(), eligible(List.of("node.labels.zone==a")), "label names are case sensitive");
        assertEquals(List.of("w1", "w2"), eligible(List.of("node.labels.Zone!=a")), "no label: != holds");
        assertEquals(List.of("m1"), eligible(List.of("engine.labels.storage==ssd")));
        assertEquals(List.of("m1", "w1", "w2"), eligible(List.of("NODE.LABELS.other!=x")), "the prefix ignores case");
    }

    @Test
    void anUnknownKeyOrAnUnreadableConstraintMatchesNoNode() {
        assertEquals(List.of(), eligible(List.of("node.color!=red")));
        assertEquals(List.of(), eligible(List.of("node.role")));
    }

    @Test
    void platformsMatchOsAndArchitectureAsSwarmNamesThem() {
        assertEquals(List.of("m1"), eligible(List.of(), "linux/amd64"), "x86_64 is amd64");
        assertEquals(List.of("m1", "w1"), eligible(List.of(), "linux/amd64", "linux/arm64"), "aarch64 is arm64");
        assertEquals(List.of("w2"), eligible(List.of(), "windows/"));
    }

    @Test
    void onlyReadyActiveNodesCount() {
        List<NodeInfo> nodes = List.of(M1, new NodeInfo("id-w1", "w1", false, false, "down", "active", ""),
                new NodeInfo("id-w2", "w2", false, false, "ready", "pause", ""),
                new NodeInfo("id-w3", "w3", false, false, "ready", "drain", ""));
        assertEquals(List.of(M1), Eligibility.of(service(List.of()), nodes));
    }

    @Test
    void pinnedByANodesNameOrIdOnly() {
        assertEquals("node.hostname==m1", Eligibility.pinnedBy(service(List.of("node.role==worker", "node.hostname==m1"))).orElseThrow());
        assertEquals("node.id == x", Eligibility.pinnedBy(service(List.of("node.id == x"))).orElseThrow());
        assertTrue(Eligibility.pinnedBy(service(List.of("node.hostname!=m1", "node.labels.zone==a"))).isEmpty());
    }

    @Test
    void unevenIsTwoOrMoreBetweenTheFullestAndTheEmptiestEligibleNode() {
        assertFalse(spread(2, 1, 1).uneven());
        assertFalse(spread(2, 2, 1).uneven());
        assertFalse(spread(1, 0, 0).uneven(), "one replica on three nodes is as even as it gets");
        assertTrue(spread(2, 2, 0).uneven());
        assertTrue(spread(3, 1, 1).uneven());
        assertEquals("m1=2 w1=2 w2=0", spread(2, 2, 0).toString());
    }

    private static Spread spread(int m1, int w1, int w2) {
        List<TaskInfo> tasks = new java.util.ArrayList<>();
        int[] counts = {m1, w1, w2};
        for (int i = 0; i < 3; i++) {
            for (int n = 0; n < counts[i]; n++) {
                tasks.add(new TaskInfo("t" + i + n, "id", ALL.get(i).id(), "", "running", "running", "", ""));
            }
        }
        tasks.add(new TaskInfo("old", "id", "id-w2", "", "shutdown", "running", "", "")); // on its way out: not counted
        return Spread.of(ALL, tasks);
    }
}
