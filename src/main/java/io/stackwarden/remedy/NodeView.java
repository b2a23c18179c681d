package io.stackwarden.remedy;

import io.stackwarden.swarm.NodeInfo;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The swarm's nodes as last read (the cluster monitor tells it of each read: on its period and on every node
 * event), and the latest time a node became schedulable again: ready and active after it was down, drained or
 * paused, or a node that joined after the first read. Nodes present at the first read are no return: what
 * happened before Stackwarden looked is not known.
 */
public final class NodeView {

    private static final Logger LOG = Logger.getLogger(NodeView.class.getName());

    /** A node that became schedulable, and when Stackwarden saw it. */
    public record Return(String nodeId, String node, Instant at) {
    }

    private final Clock clock;
    private List<NodeInfo> nodes = List.of();
    /** Whether each node known was schedulable at the last read; null before the first read. */
    private Map<String, Boolean> schedulable;
    private Return latest;

    public NodeView(Clock clock) {
        this.clock = clock;
    }

    /** One node list as read. */
    public synchronized void seen(List<NodeInfo> read) {
        Map<String, Boolean> now = new HashMap<>();
        for (NodeInfo node : read) {
            now.put(node.id(), node.schedulable());
            if (schedulable != null && node.schedulable() && !schedulable.getOrDefault(node.id(), false)) {
                latest = new Return(node.id(), node.name(), clock.instant());
                LOG.info(() -> "node " + node.name() + " is ready and active again");
            }
        }
        nodes = List.copyOf(read);
        schedulable = now;
    }

    public synchronized List<NodeInfo> nodes() {
        return nodes;
    }

    /** The latest node that became schedulable again, if any did since the first read. */
    public synchronized Optional<Return> latestReturn() {
        return Optional.ofNullable(latest);
    }
}
