package io.stackwarden.cluster;

import io.stackwarden.support.Repeating;
import io.stackwarden.support.Scheduler;
import io.stackwarden.swarm.EngineException;
import io.stackwarden.swarm.NodeInfo;
import io.stackwarden.swarm.SwarmNodes;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the latest {@link ClusterReport}, read every {@code interval}, and says whether writes are allowed:
 * not while quorum is lost, when the swarm would refuse them anyway and a half-applied stack is worse than none.
 */
public final class ClusterMonitor {

    private static final Logger LOG = Logger.getLogger(ClusterMonitor.class.getName());

    private final SwarmNodes nodes;
    private final Scheduler scheduler;
    private final Duration interval;
    private final Consumer<List<NodeInfo>> nodesRead;
    private volatile ClusterReport report;
    private volatile Repeating reads;

    public ClusterMonitor(SwarmNodes nodes, Scheduler scheduler, Duration interval) {
        this(nodes, scheduler, interval, read -> { });
    }

    /** @param nodesRead told of every node list that was read (not of failed reads), e.g. to see nodes return */
    public ClusterMonitor(SwarmNodes nodes, Scheduler scheduler, Duration interval, Consumer<List<NodeInfo>> nodesRead) {
        this.nodes = nodes;
        this.scheduler = scheduler;
        this.interval = interval;
        this.nodesRead = nodesRead;
        this.report = ClusterReport.unknown(scheduler.clock().instant(), "not read yet");
    }

    public ClusterReport report() {
        return report;
    }

    /** Reads the nodes now; synchronized, so the listener sees the reads in order. */
    public synchronized ClusterReport refresh() {
        ClusterReport previous = report;
        ClusterReport next;
        try {
            List<NodeInfo> read = nodes.nodes();
            next = ClusterDiagnosis.of(read, scheduler.clock().instant());
            nodesRead.accept(read);
        } catch (EngineException e) {
            next = ClusterDiagnosis.failed(e, scheduler.clock().instant());
        }
        report = next;
        if (next.quorum() != previous.quorum()) {
            ClusterReport changed = next;
            LOG.log(changed.quorumLost() ? Level.WARNING : Level.INFO, () -> "swarm quorum " + previous.quorum() + " -> "
                    + changed.quorum() + (changed.findings().isEmpty() ? "" : ": " + changed.findings().get(0).message()));
        }
        return next;
    }

    /** Why no write may be made now, if none may. */
    public Optional<String> writesRefused() {
        ClusterReport current = report;
        return current.quorumLost() ? Optional.of(current.findings().get(0).message()) : Optional.empty();
    }

    public void start() {
        reads = Repeating.start(scheduler, "reading the swarm's nodes", Duration.ZERO, interval, this::refresh);
    }

    public void stop() {
        if (reads != null) {
            reads.stop();
        }
    }
}
