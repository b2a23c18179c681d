package io.stackwarden.app;

import io.stackwarden.leader.LeaderStatus;
import io.stackwarden.loop.Acting;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * The replica's role: {@code leader} (acting once it read the saved state) or {@code standby}, with the leader it
 * knows. Up in both roles: a standby serves read-only status and hands writes on, which is what it is ready for.
 */
@Readiness
@ApplicationScoped
public class LeaderReadinessCheck implements HealthCheck {

    @Inject
    Acting acting;

    @Override
    public HealthCheckResponse call() {
        LeaderStatus status = acting.leadership().status();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("leader-election").up()
                .withData("role", status.role().toString())
                .withData("acting", acting.acting())
                .withData("identity", status.identity())
                .withData("since", status.since().toString())
                .withData("transitions", status.transitions());
        if (!status.leader().isEmpty()) {
            response.withData("leader", status.leader());
        }
        if (!status.leaderAddress().isEmpty()) {
            response.withData("leaderAddress", status.leaderAddress());
        }
        if (!status.lastError().isEmpty()) {
            response.withData("lastError", status.lastError());
        }
        acting.refusal().ifPresent(refusal -> response.withData("writes", refusal.message()));
        return response.build();
    }
}
