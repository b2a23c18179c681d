package io.stackwarden.app;

import io.stackwarden.config.StackwardenConfig;
import io.stackwarden.leader.LeaderElection;
import io.stackwarden.loop.Acting;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

import java.time.Duration;
import java.time.Instant;

/**
 * Alive while the election keeps running: a stuck election thread would leave a leader that stopped acting, or a
 * standby that never takes over, and a restart helps there. A lease that cannot be read (engine gone) is no reason.
 */
@Liveness
@ApplicationScoped
public class LeaderLivenessCheck implements HealthCheck {

    @Inject
    Acting acting;
    @Inject
    StackwardenConfig config;

    @Override
    public HealthCheckResponse call() {
        if (!(acting.leadership() instanceof LeaderElection election)) {
            return HealthCheckResponse.named("leader-election").up().withData("election", "off").build();
        }
        // A round takes at most a few engine calls, each bounded by half the renew deadline.
        Duration allowed = config.leader().retryPeriod().plus(config.leader().renewDeadline().multipliedBy(3));
        Instant last = election.lastTick();
        boolean started = !last.equals(Instant.EPOCH);
        boolean alive = !started || Duration.between(last, Instant.now()).compareTo(allowed) <= 0;
        return HealthCheckResponse.named("leader-election").status(alive)
                .withData("lastRound", started ? last.toString() : "not yet").build();
    }
}
