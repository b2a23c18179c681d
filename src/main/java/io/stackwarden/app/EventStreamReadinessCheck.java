package io.stackwarden.app;

import io.stackwarden.swarm.EventStream;
import io.stackwarden.swarm.EventStreamStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while the engine event stream is connected: without it drift is seen only at the
 * periodic resync. Not a liveness check, since the stream reconnects by itself.
 */
@Readiness
@ApplicationScoped
public class EventStreamReadinessCheck implements HealthCheck {

    @Inject
    EventStream events;

    @Override
    public HealthCheckResponse call() {
        EventStreamStatus status = events.status();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("docker-events")
                .status(status.connected())
                .withData(status.connected() ? "connectedSince" : "disconnectedSince", status.since().toString())
                .withData("events", status.events())
                .withData("reconnects", status.reconnects());
        status.lastEvent().ifPresent(last -> response.withData("lastEvent", last.toString()));
        status.problem().ifPresent(problem -> response.withData("problem", problem));
        return response.build();
    }
}
