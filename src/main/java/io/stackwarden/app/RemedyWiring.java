package io.stackwarden.app;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.stackwarden.config.StackwardenConfig;
import io.stackwarden.remedy.GlobalCompletion;
import io.stackwarden.remedy.NetworkNotFoundRemedy;
import io.stackwarden.remedy.NodeView;
import io.stackwarden.remedy.Rebalancer;
import io.stackwarden.remedy.RemedyMetrics;
import io.stackwarden.remedy.RemedyOutcome;
import io.stackwarden.remedy.Remedies;
import io.stackwarden.remedy.StackRemedy;
import io.stackwarden.support.Backoff;
import io.stackwarden.swarm.SwarmEngine;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The remedies a pass runs after it applied a stack, their settings and their metric. They write through the one
 * write gate ({@link GatedEngine}): never as a standby, never to Stackwarden's own stack.
 */
public class RemedyWiring {

    /** Which outcomes each remedy can have: their counters exist from the start, at 0. */
    private static final Map<String, List<RemedyOutcome>> OUTCOMES = Map.of(
            NetworkNotFoundRemedy.NAME, List.of(RemedyOutcome.APPLIED),
            Rebalancer.NAME, List.of(RemedyOutcome.APPLIED, RemedyOutcome.FAILED),
            GlobalCompletion.NAME, List.of(RemedyOutcome.APPLIED, RemedyOutcome.FAILED, RemedyOutcome.EXHAUSTED));

    /** The nodes as the cluster monitor last read them, and which came back. */
    @Produces
    @Singleton
    NodeView nodeView() {
        return new NodeView(Clock.systemUTC());
    }

    @Produces
    @Singleton
    RemedyMetrics remedyMetrics(MeterRegistry metrics) {
        OUTCOMES.forEach((remedy, outcomes) -> outcomes.forEach(outcome -> counter(metrics, remedy, outcome)));
        return (remedy, outcome) -> counter(metrics, remedy, outcome).increment();
    }

    @Produces
    @Singleton
    StackRemedy remedies(@GatedEngine SwarmEngine engine, NodeView nodes, StackwardenConfig config, RemedyMetrics metrics) {
        StackwardenConfig.Remedies settings = config.remedies();
        StackwardenConfig.GlobalComplete global = settings.globalComplete();
        Clock clock = Clock.systemUTC();
        return Remedies.of(
                NetworkNotFoundRemedy.withDefaults(engine, clock,
                        () -> metrics.count(NetworkNotFoundRemedy.NAME, RemedyOutcome.APPLIED)),
                new GlobalCompletion(engine, nodes, new Backoff(global.backoff(), global.backoff().multipliedBy(8)),
                        global.maxRetries(), clock, metrics),
                new Rebalancer(engine, nodes, clock, settings.rebalance().minInterval(), settings.rebalance().maxWait(),
                        metrics));
    }

    private static Counter counter(MeterRegistry metrics, String remedy, RemedyOutcome outcome) {
        return Counter.builder("stackwarden.remedies").tag("remedy", remedy).tag("outcome", outcome.toString())
                .description("Remedies applied, by remedy and outcome (docs/remedies.md)").register(metrics);
    }
}
