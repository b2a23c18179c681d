package io.stackwarden.api;

import io.stackwarden.cluster.ClusterMonitor;
import io.stackwarden.compose.engine.StackLabels;
import io.stackwarden.loop.StackStatus;
import io.stackwarden.loop.StatusStore;
import io.stackwarden.swarm.ServiceTasks;
import io.stackwarden.swarm.SwarmEngine;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** What the dashboard's stack page shows besides the status: the recent passes and the tasks by node. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class StackDetailsResource {

    @Inject
    StatusStore statuses;
    @Inject
    SwarmEngine engine;
    @Inject
    ClusterMonitor cluster;
    @Inject
    ApiToken token;
    @Inject
    StackLookup lookup;

    @GET
    @Path("/stacks/{name}/operations")
    @APIResponse(responseCode = "200", description = "the stack's latest passes, newest first (kept in memory)",
            content = @Content(schema = @Schema(implementation = StackStatus.Operation.class, type = SchemaType.ARRAY)))
    public Response operations(@PathParam("name") String name, @Context HttpHeaders headers) {
        return token.refuseRead(headers).or(() -> lookup.unknown(name))
                .orElseGet(() -> Response.ok(statuses.operations(name)).build());
    }

    /** Read from the engine now; node names from the cluster monitor's latest read (an ID while a node is new). */
    @GET
    @Path("/stacks/{name}/tasks")
    @APIResponse(responseCode = "200", description = "the stack's tasks by node",
            content = @Content(schema = @Schema(implementation = TasksView.class)))
    public Response tasks(@PathParam("name") String name, @Context HttpHeaders headers) {
        return token.refuseRead(headers).or(() -> lookup.unknown(name)).orElseGet(() -> Response.ok(TasksView.of(name,
                ServiceTasks.read(engine, StackLabels.NAMESPACE, name), cluster.report().nodes())).build());
    }
}
