package io.stackwarden.cluster;

import io.stackwarden.swarm.NodeInfo;

import java.time.Instant;
import java.util.List;

/**
 * What the swarm's control plane looks like: managers and quorum, the leader, every node, and what an
 * operator should know about it.
 *
 * @param managersReachable managers raft can reach, the leader included
 * @param leader            the leader's hostname, empty when there is none or it is not known
 * @param problem           why the nodes could not be read, empty when they were
 */
public record ClusterReport(Instant checkedAt, Quorum quorum, int managers, int managersReachable, String leader,
                            List<NodeInfo> nodes, List<Finding> findings, String problem) {

    public ClusterReport {
        nodes = List.copyOf(nodes);
        findings = List.copyOf(findings);
    }

    /** Whether raft has a majority of managers, so the swarm accepts writes. */
    public enum Quorum { HELD, LOST, UNKNOWN }

    /** One thing worth an operator's attention, with its kind for alerts and its words for people. */
    public record Finding(Kind kind, String node, String message) {

        public enum Kind {
            QUORUM_LOST, SINGLE_MANAGER, EVEN_MANAGERS, TOO_MANY_MANAGERS, MANAGER_UNREACHABLE, NODE_DOWN,
            NODE_DRAINED, NODE_PAUSED
        }
    }

    static ClusterReport unknown(Instant now, String problem) {
        return new ClusterReport(now, Quorum.UNKNOWN, 0, 0, "", List.of(), List.of(), problem);
    }

    public boolean quorumLost() {
        return quorum == Quorum.LOST;
    }
}
