package io.stackwarden.app;

import io.stackwarden.swarm.EngineInfo;
import io.stackwarden.swarm.EngineMonitor;
import io.stackwarden.swarm.EngineStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while the engine answers and its node is an active swarm manager. */
@Readiness
@ApplicationScoped
public class EngineReadinessCheck implements HealthCheck {

    @Inject
    EngineMonitor monitor;

    @Override
    public HealthCheckResponse call() {
        EngineStatus status = monitor.status();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("docker-engine")
                .status(status.ready())
                .withData("checkedAt", status.checkedAt().toString());
        status.problem().ifPresent(problem -> response.withData("problem", problem));
        if (status.failures() > 0) {
            response.withData("failures", status.failures());
        }
        status.info().ifPresent(info -> describe(response, info));
        return response.build();
    }

    private static void describe(HealthCheckResponseBuilder response, EngineInfo info) {
        response.withData("node", info.nodeName())
                .withData("nodeId", info.nodeId())
                .withData("swarmState", info.localNodeState())
                .withData("manager", info.manager())
                .withData("engineVersion", info.engineVersion());
    }
}
