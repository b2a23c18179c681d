package io.stackwarden.api;

import io.stackwarden.compose.ComposeException;
import io.stackwarden.config.StackwardenConfig;
import io.stackwarden.desired.DesiredStateException;
import io.stackwarden.loop.Acting;
import io.stackwarden.loop.OperationResult;
import io.stackwarden.loop.PassResult;
import io.stackwarden.loop.StackController;
import io.stackwarden.loop.StackStatus;
import io.stackwarden.loop.StatusStore;
import io.stackwarden.loop.SuspendOverrides;
import io.stackwarden.loop.Ticket;
import io.stackwarden.loop.Trigger;
import io.stackwarden.loop.WorkQueue;
import io.stackwarden.swarm.EngineException;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The stacks: status, diff, manual sync, suspend and resume. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class StacksResource {

    @Inject
    StatusStore statuses;
    @Inject
    StackController controller;
    @Inject
    WorkQueue queue;
    @Inject
    SuspendOverrides overrides;
    @Inject
    ApiToken token;
    @Inject
    StackwardenConfig config;
    @Inject
    LeaderForward leader;
    @Inject
    Acting acting;
    @Inject
    StackLookup lookup;

    /** An accepted sync request. */
    public record Accepted(String operationId, String stack) {
    }

    /** A finished sync request ({@code ?wait=true}). */
    public record Finished(String operationId, String stack, OperationResult result, String message, StackStatus status) {

        boolean succeeded() {
            return result == OperationResult.SUCCEEDED;
        }
    }

    /**
     * The answer to {@code POST /sync?wait=true}: {@code succeeded} (200) when every pass succeeded, {@code failed}
     * (409) when any failed or will be retried, {@code timeout} (504) when some passes did not end in time.
     */
    public record AllFinished(String result, List<Finished> finished, List<Accepted> pending) {
    }

    @GET
    @Path("/stacks")
    @APIResponse(responseCode = "200", description = "every stack's status",
            content = @Content(schema = @Schema(implementation = StackStatus.class, type = SchemaType.ARRAY)))
    public Response stacks(@Context HttpHeaders headers, @Context Request request) throws DesiredStateException {
        Optional<Response> refused = token.refuseRead(headers);
        if (refused.isPresent()) {
            return refused.get();
        }
        // Read before the statuses: a change in between makes the next poll fetch again, never miss it.
        long version = statuses.version();
        List<StackStatus> all = new ArrayList<>(statuses.all());
        Set<String> reported = new java.util.HashSet<>(all.stream().map(StackStatus::stack).toList());
        List<String> unreported = new ArrayList<>();
        for (String stack : controller.knownStacks()) {
            if (!reported.contains(stack)) {
                unreported.add(stack);
                all.add(StackStatus.unknown(stack));
            }
        }
        all.sort(java.util.Comparator.comparing(StackStatus::stack));
        // The dashboard polls this: an unchanged list costs a 304 and no body.
        EntityTag tag = new EntityTag(Long.toHexString(version) + "-" + unreported.size() + "-"
                + Integer.toHexString(unreported.hashCode()));
        Response.ResponseBuilder unchanged = request.evaluatePreconditions(tag);
        return (unchanged != null ? unchanged : Response.ok(all)).tag(tag).build();
    }

    @GET
    @Path("/stacks/{name}")
    @APIResponse(responseCode = "200", description = "the stack's status",
            content = @Content(schema = @Schema(implementation = StackStatus.class)))
    public Response stack(@PathParam("name") String name, @Context HttpHeaders headers) throws DesiredStateException {
        Optional<Response> refused = token.refuseRead(headers).or(() -> lookup.unknown(name));
        if (refused.isPresent()) {
            return refused.get();
        }
        return Response.ok(statuses.get(name).orElse(StackStatus.unknown(name))).build();
    }

    @GET
    @Path("/stacks/{name}/diff")
    public Response diff(@PathParam("name") String name, @Context HttpHeaders headers)
            throws DesiredStateException, IOException {
        // Field values (environment variables, config data) may be sensitive: the diff needs the token too.
        Optional<Response> refused = token.refuse(headers).or(() -> lookup.invalid(name));
        if (refused.isPresent()) {
            return refused.get();
        }
        try {
            return controller.diff(name)
                    .map(actions -> Response.ok(DiffView.of(name, actions)).build())
                    .orElseGet(() -> ApiError.of(Response.Status.NOT_FOUND, "no stack " + name));
        } catch (ComposeException e) {
            return ApiError.of(Response.Status.CONFLICT, "the stack's files are invalid: " + e.getMessage());
        } catch (EngineException e) {
            return ApiError.of(Response.Status.SERVICE_UNAVAILABLE, e.getMessage());
        }
    }

    @POST
    @Path("/stacks/{name}/sync")
    public Response sync(@PathParam("name") String name, @QueryParam("wait") boolean wait, @Context HttpHeaders headers,
                         @Context UriInfo uri) throws DesiredStateException {
        Optional<Response> refused = token.refuse(headers).or(() -> lookup.invalid(name))
                .or(() -> leader.ifStandby("POST", uri, headers, new byte[0])).or(() -> lookup.unknown(name));
        if (refused.isPresent()) {
            return refused.get();
        }
        Optional<Ticket> ticket = queue.enqueue(name, Trigger.MANUAL);
        if (ticket.isEmpty()) {
            return ApiError.of(Response.Status.SERVICE_UNAVAILABLE, "the reconcile queue is full; try again later");
        }
        return wait ? finished(ticket.get()) : Response.accepted(accepted(ticket.get())).build();
    }

    @POST
    @Path("/sync")
    public Response syncAll(@QueryParam("wait") boolean wait, @Context HttpHeaders headers, @Context UriInfo uri)
            throws DesiredStateException {
        Optional<Response> refused = token.refuse(headers).or(() -> leader.ifStandby("POST", uri, headers, new byte[0]));
        if (refused.isPresent()) {
            return refused.get();
        }
        List<Ticket> tickets = new ArrayList<>();
        for (String stack : controller.knownStacks()) {
            Optional<Ticket> ticket = queue.enqueue(stack, Trigger.MANUAL);
            if (ticket.isEmpty()) {
                return ApiError.of(Response.Status.SERVICE_UNAVAILABLE, "the reconcile queue is full; "
                        + tickets.size() + " stack(s) were queued before it filled");
            }
            tickets.add(ticket.get());
        }
        if (!wait) {
            return Response.accepted(tickets.stream().map(StacksResource::accepted).toList()).build();
        }
        // One deadline for all: the passes run in parallel, so waiting for each in turn costs no extra time.
        long deadline = System.nanoTime() + config.api().waitTimeout().toNanos();
        List<Finished> finished = new ArrayList<>();
        List<Accepted> pending = new ArrayList<>();
        for (Ticket ticket : tickets) {
            Optional<Finished> done = await(ticket, Math.max(0, deadline - System.nanoTime()));
            if (done.isPresent()) {
                finished.add(done.get());
            } else {
                pending.add(accepted(ticket));
            }
        }
        if (!pending.isEmpty()) {
            return Response.status(Response.Status.GATEWAY_TIMEOUT).entity(new AllFinished("timeout", finished, pending)).build();
        }
        boolean allSucceeded = finished.stream().allMatch(Finished::succeeded);
        return Response.status(allSucceeded ? Response.Status.OK : Response.Status.CONFLICT)
                .entity(new AllFinished(allSucceeded ? "succeeded" : "failed", finished, pending)).build();
    }

    @POST
    @Path("/stacks/{name}/suspend")
    public Response suspend(@PathParam("name") String name, @Context HttpHeaders headers, @Context UriInfo uri) {
        return setSuspended(name, true, headers, uri);
    }

    @POST
    @Path("/stacks/{name}/resume")
    public Response resume(@PathParam("name") String name, @Context HttpHeaders headers, @Context UriInfo uri) {
        return setSuspended(name, false, headers, uri);
    }

    /** Suspends or resumes, saved in the swarm before the answer: a restart or a take-over keeps it. */
    private Response setSuspended(String name, boolean suspend, HttpHeaders headers, UriInfo uri) {
        Optional<Response> refused = token.refuse(headers).or(() -> lookup.invalid(name))
                .or(() -> leader.ifStandby("POST", uri, headers, new byte[0])).or(() -> lookup.unknown(name));
        if (refused.isPresent()) {
            return refused.get();
        }
        boolean was = overrides.suspended(name);
        if (suspend) {
            overrides.suspend(name);
        } else {
            overrides.resume(name);
        }
        try {
            acting.save();
        } catch (EngineException e) {
            if (was) {
                overrides.suspend(name);
            } else {
                overrides.resume(name);
            }
            return ApiError.of(Response.Status.SERVICE_UNAVAILABLE, "not " + (suspend ? "suspended" : "resumed")
                    + ": the state could not be saved (" + e.getMessage() + ")");
        }
        Optional<Ticket> ticket = queue.enqueue(name, Trigger.MANUAL);
        return ticket.isEmpty()
                ? ApiError.of(Response.Status.SERVICE_UNAVAILABLE, "the reconcile queue is full; try again later")
                : finished(ticket.get());
    }

    private Response finished(Ticket ticket) {
        return await(ticket, config.api().waitTimeout().toNanos())
                .map(done -> Response.ok(done).build())
                .orElseGet(() -> Response.accepted(accepted(ticket)).build());
    }

    /** The ticket's pass once it ended, or empty when it did not end within {@code nanos}. */
    private Optional<Finished> await(Ticket ticket, long nanos) {
        PassResult result;
        try {
            result = ticket.outcome().get(nanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException e) {
            result = new PassResult(PassResult.Next.RETRY, "the pass failed: " + e.getCause());
        }
        return Optional.of(new Finished(ticket.operationId(), ticket.stack(), result.next().result(), result.message(),
                statuses.get(ticket.stack()).orElse(StackStatus.unknown(ticket.stack()))));
    }

    private static Accepted accepted(Ticket ticket) {
        return new Accepted(ticket.operationId(), ticket.stack());
    }
}
