package io.stackwarden.app;

import io.stackwarden.config.StackwardenConfig;
import io.stackwarden.swarm.EngineMonitor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

import java.time.Duration;
import java.time.Instant;

/**
 * Alive while the engine monitor keeps probing. A dead engine does not make the daemon unlive
 * (restarting would not help); a stuck probe loop does.
 */
@Liveness
@ApplicationScoped
public class EngineMonitorLivenessCheck implements HealthCheck {

    @Inject
    EngineMonitor monitor;

    @Inject
    StackwardenConfig config;

    @Override
    public HealthCheckResponse call() {
        StackwardenConfig.Engine engine = config.engine();
        // The longest legitimate pause between probes, plus one call's deadline, twice over.
        Duration allowed = max(engine.probeInterval(), engine.retryMax()).plus(engine.callTimeout()).multipliedBy(2);
        Instant last = monitor.status().checkedAt();
        boolean alive = Duration.between(last, Instant.now()).compareTo(allowed) <= 0;
        return HealthCheckResponse.named("engine-monitor")
                .status(alive)
                .withData("lastProbe", last.toString())
                .build();
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
