package io.stackwarden.api;

import io.stackwarden.cluster.ClusterMonitor;
import io.stackwarden.cluster.ClusterReport;
import io.stackwarden.loop.StackStatus;
import io.stackwarden.loop.StatusStore;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.util.List;

/** The swarm's control plane (managers, quorum, leader, nodes) and the stacks that are not converged, with why. */
@Path("/api/v1/cluster")
@Produces(MediaType.APPLICATION_JSON)
public class ClusterResource {

    @Inject
    ClusterMonitor monitor;
    @Inject
    StatusStore statuses;
    @Inject
    ApiToken token;

    /** The cluster report and every stack that is not synced and healthy. */
    public record ClusterView(ClusterReport cluster, List<NotConverged> stacksNotConverged) {
    }

    public record NotConverged(String stack, StackStatus.Sync sync, StackStatus.Health health, String message) {
    }

    @GET
    @APIResponse(responseCode = "200", description = "the cluster report (read now) and the stacks not converged",
            content = @Content(schema = @Schema(implementation = ClusterView.class)))
    public Response cluster(@Context HttpHeaders headers) {
        return token.refuseRead(headers).orElseGet(() -> {
            List<NotConverged> stacks = statuses.all().stream()
                    .filter(s -> s.sync() != StackStatus.Sync.SYNCED || s.health() != StackStatus.Health.HEALTHY)
                    .map(s -> new NotConverged(s.stack(), s.sync(), s.health(), s.message()))
                    .toList();
            return Response.ok(new ClusterView(monitor.refresh(), stacks)).build();
        });
    }
}
