package io.stackwarden.app;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.stackwarden.config.ConfigProblem;
import io.stackwarden.config.ConfigValidator;
import io.stackwarden.config.StackwardenConfig;
import io.stackwarden.leader.LeaderElection;
import io.stackwarden.loop.Acting;
import io.stackwarden.loop.StatusStore;
import io.stackwarden.loop.WorkQueue;
import io.stackwarden.swarm.EngineMonitor;
import io.stackwarden.swarm.EventStream;
import io.stackwarden.swarm.SwarmEngine;
import io.stackwarden.swarm.cache.CachedSwarmEngine;
import io.stackwarden.swarm.cache.Freshness;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.nio.file.Files;
import java.util.List;
import java.util.stream.Collectors;

/** Start-up: refuse a wrong configuration, then start watching the engine and running for the lease; shut-down hands it over. */
@Singleton
public class Lifecycle {

    private static final Logger LOG = Logger.getLogger(Lifecycle.class);

    void onStart(@Observes StartupEvent event, StackwardenConfig config, Instance<EngineMonitor> monitors,
                 Instance<Triggers> triggers, Instance<EventStream> events, Instance<WorkQueue> queue,
                 Instance<StatusStore> statuses, Instance<SwarmEngine> engine, Instance<Acting> acting, MeterRegistry metrics) {
        // Validate before any engine bean exists: building them from a wrong value would fail less clearly.
        List<ConfigProblem> problems = ConfigValidator.validate(config);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("invalid configuration: " + problems.stream()
                    .map(ConfigProblem::toString).collect(Collectors.joining("; ")));
        }
        if (!Files.isDirectory(config.desiredDir()) && config.source().git().url().isEmpty()) {
            LOG.warnf("stackwarden.desired-dir=%s does not exist yet; stacks are not reconciled until it does",
                    config.desiredDir());
        }
        EngineMonitor monitor = monitors.get();
        LOG.infof("Stackwarden starting: desired state in %s, engine at %s", config.desiredDir(), config.dockerHost());

        Gauge.builder("stackwarden.engine.ready", monitor, m -> m.status().ready() ? 1 : 0)
                .description("1 while the engine answers and its node is an active swarm manager")
                .register(metrics);
        Gauge.builder("stackwarden.engine.probe.failures", monitor, m -> m.status().failures())
                .description("Consecutive failed engine probes")
                .register(metrics);
        registerLoopMetrics(events.get(), queue.get(), metrics);
        if (engine.get() instanceof CachedSwarmEngine cache) {
            registerCacheMetrics(cache, metrics);
        }
        registerStackMetrics(statuses.get(), metrics);
        registerLeaderMetrics(acting.get(), metrics);
        triggers.get().listen();
        monitor.start();
        acting.get().start();
        if (acting.get().leadership() instanceof LeaderElection election) {
            election.start();
        }
    }

    /** A leader hands its lease over before the rest shuts down, so a standby takes over at its next read. */
    void onStop(@Observes ShutdownEvent event, Acting acting) {
        acting.stop();
        if (acting.leadership() instanceof LeaderElection election) {
            election.stop();
        }
    }

    private static void registerLeaderMetrics(Acting acting, MeterRegistry metrics) {
        Gauge.builder("stackwarden.leader", acting, a -> a.acting() ? 1 : 0)
                .description("1 while this instance acts (holds the lease and has read the saved state), 0 as a standby")
                .register(metrics);
        Gauge.builder("stackwarden.leader.transitions", acting, a -> a.leadership().status().transitions())
                .description("How often the lease changed hands, as this instance last read it")
                .register(metrics);
    }

    /**
     * Per stack, Argo CD style: {@code stackwarden_stack_info{stack,sync,health} 1} for the current state,
     * and a counter of transitions, both updated on every change of sync or health.
     */
    private static void registerStackMetrics(StatusStore statuses, MeterRegistry metrics) {
        MultiGauge info = MultiGauge.builder("stackwarden.stack.info")
                .description("1 per stack, tagged with its current sync and health")
                .register(metrics);
        statuses.onTransition((before, after) -> {
            if (after != null) {
                metrics.counter("stackwarden.stack.transitions", "stack", after.stack(),
                        "sync", after.sync().toString(), "health", after.health().toString()).increment();
            }
            synchronized (info) { // the last registration must see the latest statuses
                info.register(statuses.all().stream()
                        .map(status -> MultiGauge.Row.of(Tags.of("stack", status.stack(), "sync", status.sync().toString(),
                                "health", status.health().toString()), 1))
                        .toList(), true);
            }
        });
    }

    private static void registerCacheMetrics(CachedSwarmEngine cache, MeterRegistry metrics) {
        Gauge.builder("stackwarden.engine.cache.fresh", cache, c -> c.freshness() == Freshness.FRESH ? 1 : 0)
                .description("1 while passes read the swarm cache, 0 while they read through (not yet filled, or events missed)")
                .register(metrics);
        Gauge.builder("stackwarden.engine.cache.objects", cache, CachedSwarmEngine::size)
                .description("Services, networks, configs and secrets held in the swarm cache")
                .register(metrics);
        FunctionCounter.builder("stackwarden.engine.cache.relists", cache, CachedSwarmEngine::relists)
                .description("Full listings of the swarm cache: connects, the periodic relist, after a missed read-back")
                .register(metrics);
    }

    private static void registerLoopMetrics(EventStream events, WorkQueue queue, MeterRegistry metrics) {
        FunctionCounter.builder("stackwarden.engine.events", events, e -> e.status().events())
                .description("Engine events received (swarm objects and nodes)")
                .register(metrics);
        FunctionCounter.builder("stackwarden.engine.events.reconnects", events, e -> e.status().reconnects())
                .description("Connections of the engine event stream after the first one")
                .register(metrics);
        Gauge.builder("stackwarden.engine.events.connected", events, e -> e.status().connected() ? 1 : 0)
                .description("1 while the engine event stream is connected")
                .register(metrics);
        FunctionCounter.builder("stackwarden.reconcile.passes", queue, WorkQueue::passes)
                .description("Reconcile passes run, all stacks together")
                .register(metrics);
    }
}
