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
import io.stackwarden.remedy.node.NodeRemedies;
import io.stackwarden.support.Backoff;
import io.stackwarden.swarm.SwarmEngine;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The remedies a pass runs after it applied a stack (the node agents' among them: their latest scan's report), their
 * settings and their metric. They write through the one write gate ({@link GatedEngine}): never as a standby, never to
 * Stackwarden's own stack; the node remedies ask the same gate before every agent call ({@link AgentWiring}).
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
    StackRemedy remedies(@GatedEngine SwarmEngine engine, NodeView nodes, StackwardenConfig config, RemedyMetrics metrics,
                         NodeRemedies nodeRemedies) {
        StackwardenConfig.Remedies settings = config.remedies();
        StackwardenConfig.GlobalComplete global = settings.globalComplete();
        Clock clock = Clock.systemUTC();
        return Remedies.of(
                NetworkNotFoundRemedy.withDefaults(engine, clock,
                        () -> metrics.count(NetworkNotFoundRemedy.NAME, RemedyOutcome.APPLIED)),
                new GlobalCompletion(engine, nodes, new Backoff(global.backoff(), global.backoff().multipliedBy(8)),
                        global.maxRetries(), clock, metrics),
                new Rebalancer(engine, nodes, clock, settings.rebalance().minInterval(), settings.rebalance().maxWait(),
                        metrics),
                nodeRemedies);
    }

    private static Counter counter(MeterRegistry metrics, String remedy, RemedyOutcome outcome) {
        return counter(metrics, remedy, outcome.toString());
    }

    /**
     * The one registration of {@code stackwarden.remedies}: always the tags {@code remedy} and {@code outcome} (Prometheus
     * refuses one name with two sets of tag keys). The node remedies count their agents' answers here too.
     */
    static Counter counter(MeterRegistry metrics, String remedy, String outcome) {
        return Counter.builder("stackwarden.remedies").tag("remedy", remedy).tag("outcome", outcome)
                .description("Remedies applied, by remedy and outcome (docs/remedies.md)").register(metrics);
    }
}
