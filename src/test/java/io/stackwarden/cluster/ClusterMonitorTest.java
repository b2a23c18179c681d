package io.stackwarden.cluster;

import io.stackwarden.support.ManualScheduler;
import io.stackwarden.swarm.EngineException;
import io.stackwarden.swarm.NodeInfo;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The monitor re-reads the nodes on its period and closes writes while quorum is lost. */
class ClusterMonitorTest {

    private static final NodeInfo M1 = new NodeInfo("m1", "m1", true, true, "ready", "active", "reachable");

    @Test
    void writesAreRefusedOnlyWhileQuorumIsLost() {
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        ManualScheduler scheduler = new ManualScheduler();
        ClusterMonitor monitor = new ClusterMonitor(() -> {
            if (failure.get() != null) {
                throw failure.get();
            }
            return List.of(M1);
        }, scheduler, Duration.ofSeconds(5));
        assertEquals(ClusterReport.Quorum.UNKNOWN, monitor.report().quorum(), "before the first read");
        assertTrue(monitor.writesRefused().isEmpty(), "not known is not lost");

        monitor.start();
        scheduler.advance(Duration.ZERO);
        assertEquals(ClusterReport.Quorum.HELD, monitor.report().quorum());

        failure.set(new EngineException(503, "rpc error: code = Unknown desc = The swarm does not have a leader", null));
        scheduler.advance(Duration.ofSeconds(5));
        assertEquals(ClusterReport.Quorum.LOST, monitor.report().quorum());
        assertTrue(monitor.writesRefused().orElseThrow().startsWith("quorum lost"), monitor.writesRefused().toString());

        failure.set(null);
        scheduler.advance(Duration.ofSeconds(5));
        assertTrue(monitor.writesRefused().isEmpty(), "open again once a leader answers");
    }

    @Test
    void everyNodeListReadIsPassedOnAndFailedReadsAreNot() {
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        List<List<NodeInfo>> passed = new java.util.ArrayList<>();
        ClusterMonitor monitor = new ClusterMonitor(() -> {
            if (failure.get() != null) {
                throw failure.get();
            }
            return List.of(M1);
        }, new ManualScheduler(), Duration.ofSeconds(5), passed::add);
        monitor.refresh();
        failure.set(new EngineException(503, "rpc error: code = Unknown desc = The swarm does not have a leader", null));
        monitor.refresh();
        assertEquals(List.of(List.of(M1)), passed);
    }
}
