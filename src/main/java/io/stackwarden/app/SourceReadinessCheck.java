package io.stackwarden.app;

import io.stackwarden.desired.source.SourceStatus;
import io.stackwarden.desired.source.SourceSync;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while the desired state is current: not while a fetch fails (the last good files are
 * still applied) nor while the working copy or folder cannot be read. Not a liveness check: the
 * source retries by itself.
 */
@Readiness
@ApplicationScoped
public class SourceReadinessCheck implements HealthCheck {

    @Inject
    SourceSync source;

    @Override
    public HealthCheckResponse call() {
        SourceStatus status = source.status();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("desired-source")
                .status(!status.stale() && status.readable())
                .withData("kind", status.kind());
        if (status.url() != null) {
            response.withData("url", status.url()).withData("branch", status.branch());
        }
        if (status.revision() != null) {
            response.withData("revision", status.revision());
        }
        if (status.lastFetch() != null) {
            response.withData("lastFetch", status.lastFetch().toString());
        }
        if (status.stale()) {
            response.withData("staleSince", status.staleSince().toString()).withData("error", status.error());
        }
        return response.build();
    }
}
