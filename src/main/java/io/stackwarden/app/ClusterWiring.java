package io.stackwarden.app;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.stackwarden.cluster.ClusterMonitor;
import io.stackwarden.cluster.ClusterReport;
import io.stackwarden.config.StackwardenConfig;
import io.stackwarden.remedy.NodeView;
import io.stackwarden.swarm.EngineApi;
import io.stackwarden.swarm.HttpSwarmEngine;
import io.stackwarden.swarm.NodeInfo;
import io.stackwarden.support.TimerScheduler;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.function.ToDoubleFunction;

/** The cluster diagnosis: read on the engine probe's period, shown in metrics, and the gate of every write. */
public class ClusterWiring {

    @Produces
    @Singleton
    ClusterMonitor clusterMonitor(EngineApi api, StackwardenConfig config, NodeView nodes) {
        return new ClusterMonitor(new HttpSwarmEngine(api), new TimerScheduler("cluster-timer", Clock.systemUTC()),
                config.engine().probeInterval(), nodes::seen);
    }

    void stopClusterMonitor(@Disposes ClusterMonitor monitor) {
        monitor.stop();
    }

    /** After {@link Lifecycle#onStart}: a wrong configuration is refused there, before any engine bean is built. */
    void start(@Observes @Priority(Interceptor.Priority.APPLICATION + 600) StartupEvent event, ClusterMonitor monitor,
               MeterRegistry metrics) {
        gauge(metrics, monitor, "stackwarden.cluster.quorum", "1 while raft has a majority of managers, 0 when lost,"
                + " -1 while unknown", r -> switch (r.quorum()) {
                    case HELD -> 1;
                    case LOST -> 0;
                    case UNKNOWN -> -1;
                });
        gauge(metrics, monitor, "stackwarden.cluster.managers", "Managers in the swarm", ClusterReport::managers);
        gauge(metrics, monitor, "stackwarden.cluster.managers.reachable", "Managers raft can reach",
                ClusterReport::managersReachable);
        gauge(metrics, monitor, "stackwarden.cluster.nodes.down", "Nodes that are not ready",
                r -> r.nodes().stream().filter(node -> !node.ready()).count());
        gauge(metrics, monitor, "stackwarden.cluster.nodes.unavailable", "Nodes drained or paused",
                r -> r.nodes().stream().map(NodeInfo::availability).filter(a -> !a.equals("active")).count());
        monitor.start();
    }

    private static void gauge(MeterRegistry metrics, ClusterMonitor monitor, String name, String description,
                              ToDoubleFunction<ClusterReport> value) {
        Gauge.builder(name, monitor, m -> value.applyAsDouble(m.report())).description(description).register(metrics);
    }
}
