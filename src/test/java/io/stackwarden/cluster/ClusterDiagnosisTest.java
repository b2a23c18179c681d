package io.stackwarden.cluster;

import io.stackwarden.swarm.EngineException;
import io.stackwarden.swarm.NodeInfo;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The talk's rules for the control plane, on node lists as a manager reports them. */
class ClusterDiagnosisTest {

    private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");

    private static NodeInfo manager(String name, boolean leader, String reachability) {
        return new NodeInfo(name, name, true, leader, "unreachable".equals(reachability) ? "down" : "ready", "active",
                reachability);
    }

    private static NodeInfo worker(String name, String state, String availability) {
        return new NodeInfo(name, name, false, false, state, availability, "");
    }

    private static List<ClusterReport.Finding.Kind> kinds(ClusterReport report) {
        return report.findings().stream().map(ClusterReport.Finding::kind).toList();
    }

    @Test
    void threeReachableManagersHoldQuorumWithNothingToSay() {
        ClusterReport report = ClusterDiagnosis.of(List.of(manager("m1", true, "reachable"),
                manager("m2", false, "reachable"), manager("m3", false, "reachable"),
                worker("w1", "ready", "active")), NOW);
        assertEquals(ClusterReport.Quorum.HELD, report.quorum());
        assertEquals(3, report.managers());
        assertEquals(3, report.managersReachable());
        assertEquals("m1", report.leader());
        assertEquals(List.of(), report.findings());
    }

    @Test
    void oneOfThreeManagersLostKeepsQuorumButIsReported() {
        ClusterReport report = ClusterDiagnosis.of(List.of(manager("m1", true, "reachable"),
                manager("m2", false, "reachable"), manager("m3", false, "unreachable")), NOW);
        assertEquals(ClusterReport.Quorum.HELD, report.quorum());
        assertEquals(List.of(ClusterReport.Finding.Kind.MANAGER_UNREACHABLE, ClusterReport.Finding.Kind.NODE_DOWN),
                kinds(report));
        assertEquals("m3", report.findings().get(0).node());
    }

    @Test
    void twoOfThreeManagersLostIsQuorumLost() {
        ClusterReport report = ClusterDiagnosis.of(List.of(manager("m1", true, "reachable"),
                manager("m2", false, "unreachable"), manager("m3", false, "unreachable")), NOW);
        assertEquals(ClusterReport.Quorum.LOST, report.quorum());
        assertEquals(ClusterReport.Finding.Kind.QUORUM_LOST, report.findings().get(0).kind());
        assertTrue(report.findings().get(0).message().startsWith("quorum lost: 1 of 3 managers reachable"),
                report.findings().get(0).message());
    }

    @Test
    void managerCountsTheTalkWarnsAbout() {
        assertEquals(List.of(ClusterReport.Finding.Kind.SINGLE_MANAGER),
                kinds(ClusterDiagnosis.of(List.of(manager("m1", true, "reachable")), NOW)));
        assertEquals(List.of(ClusterReport.Finding.Kind.EVEN_MANAGERS), kinds(ClusterDiagnosis.of(List.of(
                manager("m1", true, "reachable"), manager("m2", false, "reachable")), NOW)));
        List<NodeInfo> seven = java.util.stream.IntStream.range(0, 7)
                .mapToObj(i -> manager("m" + i, i == 0, "reachable")).toList();
        assertEquals(List.of(ClusterReport.Finding.Kind.TOO_MANY_MANAGERS), kinds(ClusterDiagnosis.of(seven, NOW)));
    }

    @Test
    void workersDownDrainedOrPausedAreNamed() {
        ClusterReport report = ClusterDiagnosis.of(List.of(manager("m1", true, "reachable"),
                manager("m2", false, "reachable"), manager("m3", false, "reachable"),
                worker("w1", "down", "active"), worker("w2", "ready", "drain"), worker("w3", "ready", "pause")), NOW);
        assertEquals(List.of(ClusterReport.Finding.Kind.NODE_DOWN, ClusterReport.Finding.Kind.NODE_DRAINED,
                ClusterReport.Finding.Kind.NODE_PAUSED), kinds(report));
        assertEquals(List.of("w1", "w2", "w3"), report.findings().stream().map(ClusterReport.Finding::node).toList());
    }

    @Test
    void aManagerWithoutLeaderMeansQuorumLostAnyOtherFailureIsUnknown() {
        ClusterReport noLeader = ClusterDiagnosis.failed(new EngineException(503, "GET /nodes: rpc error: code = Unknown "
                + "desc = The swarm does not have a leader. It's possible that too few managers are online.", null), NOW);
        assertEquals(ClusterReport.Quorum.LOST, noLeader.quorum());
        assertEquals(ClusterReport.Finding.Kind.QUORUM_LOST, noLeader.findings().get(0).kind());
        ClusterReport unreachable = ClusterDiagnosis.failed(EngineException.unreachable("GET /nodes",
                new java.net.ConnectException("refused")), NOW);
        assertEquals(ClusterReport.Quorum.UNKNOWN, unreachable.quorum());
        assertEquals(List.of(), unreachable.findings());
    }
}
