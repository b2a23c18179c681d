package io.stackwarden.app;

import io.stackwarden.cluster.ClusterMonitor;
import io.stackwarden.cluster.ClusterReport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Down while the swarm has lost quorum: nothing can be deployed then. Up while quorum is held or not known
 * (an engine that does not answer is the {@code docker-engine} check's business).
 */
@Readiness
@ApplicationScoped
public class ClusterReadinessCheck implements HealthCheck {

    @Inject
    ClusterMonitor monitor;

    @Override
    public HealthCheckResponse call() {
        ClusterReport report = monitor.report();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("swarm-quorum")
                .status(!report.quorumLost())
                .withData("quorum", report.quorum().name())
                .withData("managers", report.managers())
                .withData("managersReachable", report.managersReachable())
                .withData("checkedAt", report.checkedAt().toString());
        if (!report.leader().isEmpty()) {
            response.withData("leader", report.leader());
        }
        report.findings().stream().findFirst().ifPresent(finding -> response.withData("finding", finding.message()));
        return response.build();
    }
}
