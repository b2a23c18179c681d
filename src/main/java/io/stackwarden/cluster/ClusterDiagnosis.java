package io.stackwarden.cluster;

import io.stackwarden.swarm.EngineException;
import io.stackwarden.swarm.NodeInfo;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Judges the swarm's control plane from its node list, with the talk's rules: raft needs a majority of
 * managers; run 3 managers (5 at most), never an even number, never just one.
 */
public final class ClusterDiagnosis {

    /** More managers than this make every raft write slower without a reason a 10-20 node swarm has. */
    static final int MAX_MANAGERS = 5;

    private ClusterDiagnosis() {
    }

    public static ClusterReport of(List<NodeInfo> nodes, Instant now) {
        int managers = (int) nodes.stream().filter(NodeInfo::manager).count();
        int reachable = (int) nodes.stream().filter(NodeInfo::reachableManager).count();
        ClusterReport.Quorum quorum = reachable * 2 > managers ? ClusterReport.Quorum.HELD : ClusterReport.Quorum.LOST;
        String leader = nodes.stream().filter(NodeInfo::leader).map(NodeInfo::hostname).findFirst().orElse("");
        List<ClusterReport.Finding> findings = new ArrayList<>();
        if (quorum == ClusterReport.Quorum.LOST) {
            findings.add(quorumLost(reachable + " of " + managers + " managers reachable"));
        }
        if (managers == 1) {
            findings.add(finding(ClusterReport.Finding.Kind.SINGLE_MANAGER, "", "a single manager: when it is lost, "
                    + "the swarm can no longer be managed; run 3 managers"));
        } else if (managers % 2 == 0) {
            findings.add(finding(ClusterReport.Finding.Kind.EVEN_MANAGERS, "", managers + " managers tolerate no more "
                    + "lost managers than " + (managers - 1) + " do; run 3 or 5"));
        } else if (managers > MAX_MANAGERS) {
            findings.add(finding(ClusterReport.Finding.Kind.TOO_MANY_MANAGERS, "", managers + " managers slow every "
                    + "write down; run 3 or 5"));
        }
        for (NodeInfo node : nodes) {
            if (node.manager() && !node.reachableManager()) {
                findings.add(finding(ClusterReport.Finding.Kind.MANAGER_UNREACHABLE, node.hostname(),
                        "manager " + node.hostname() + " is " + orUnknown(node.reachability())));
            }
            if (!node.ready()) {
                findings.add(finding(ClusterReport.Finding.Kind.NODE_DOWN, node.hostname(),
                        "node " + node.hostname() + " is " + orUnknown(node.state()) + ": its tasks run elsewhere or not at all"));
            }
            if ("drain".equals(node.availability())) {
                findings.add(finding(ClusterReport.Finding.Kind.NODE_DRAINED, node.hostname(),
                        "node " + node.hostname() + " is drained: it runs no tasks"));
            } else if ("pause".equals(node.availability())) {
                findings.add(finding(ClusterReport.Finding.Kind.NODE_PAUSED, node.hostname(),
                        "node " + node.hostname() + " is paused: it gets no new tasks"));
            }
        }
        return new ClusterReport(now, quorum, managers, reachable, leader, nodes, findings, "");
    }

    /** The nodes could not be listed: a manager without a leader has lost quorum; anything else is not known. */
    public static ClusterReport failed(EngineException e, Instant now) {
        if (e.isNoLeader()) {
            return new ClusterReport(now, ClusterReport.Quorum.LOST, 0, 0, "", List.of(),
                    List.of(quorumLost("the manager answers that the swarm has no leader")), e.getMessage());
        }
        return ClusterReport.unknown(now, e.getMessage());
    }

    private static ClusterReport.Finding quorumLost(String why) {
        return finding(ClusterReport.Finding.Kind.QUORUM_LOST, "", "quorum lost: " + why
                + "; the swarm accepts no change, and Stackwarden writes nothing until a majority of managers is back");
    }

    private static ClusterReport.Finding finding(ClusterReport.Finding.Kind kind, String node, String message) {
        return new ClusterReport.Finding(kind, node, message);
    }

    private static String orUnknown(String value) {
        return value.isEmpty() ? "unknown" : value;
    }
}
