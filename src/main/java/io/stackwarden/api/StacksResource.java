package io.stackwarden.api;

import io.stackwarden.compose.ComposeException;
import io.stackwarden.desired.DesiredStateException;
import io.stackwarden.desired.StackName;
import io.stackwarden.loop.PassResult;
import io.stackwarden.loop.StackController;
import io.stackwarden.loop.StackStatus;
import io.stackwarden.loop.StatusStore;
import io.stackwarden.loop.SuspendOverrides;
import io.stackwarden.loop.Ticket;
import io.stackwarden.loop.Trigger;
import io.stackwarden.loop.WorkQueue;
import io.stackwarden.swarm.EngineException;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

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

    /** Longest a {@code ?wait=true} request waits for its pass. */
    static final long WAIT_SECONDS = 300;

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

    /** An accepted sync request. */
    public record Accepted(String operationId, String stack) {
    }

    /** A finished sync request ({@code ?wait=true}). */
    public record Finished(String operationId, String stack, String result, String message, StackStatus status) {
    }

    @GET
    @Path("/stacks")
    public List<StackStatus> stacks() throws DesiredStateException {
        List<StackStatus> all = new ArrayList<>(statuses.all());
        Set<String> reported = new java.util.HashSet<>(all.stream().map(StackStatus::stack).toList());
        for (String stack : controller.knownStacks()) {
            if (!reported.contains(stack)) {
                all.add(StackStatus.unknown(stack));
            }
        }
        all.sort(java.util.Comparator.comparing(StackStatus::stack));
        return all;
    }

    @GET
    @Path("/stacks/{name}")
    public Response stack(@PathParam("name") String name) throws DesiredStateException {
        Optional<Response> refused = unknown(name);
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
        Optional<Response> refused = token.refuse(headers).or(() -> invalid(name));
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
    public Response sync(@PathParam("name") String name, @QueryParam("wait") boolean wait, @Context HttpHeaders headers)
            throws DesiredStateException {
        Optional<Response> refused = token.refuse(headers).or(() -> unknownUnchecked(name));
        if (refused.isPresent()) {
            return refused.get();
        }
        Optional<Ticket> ticket = queue.enqueue(name, Trigger.MANUAL);
        if (ticket.isEmpty()) {
            return ApiError.of(Response.Status.SERVICE_UNAVAILABLE, "the reconcile queue is full; try again later");
        }
        return wait ? finished(ticket.get()) : Response.accepted(new Accepted(ticket.get().operationId(), name)).build();
    }

    @POST
    @Path("/sync")
    public Response syncAll(@Context HttpHeaders headers) throws DesiredStateException {
        Optional<Response> refused = token.refuse(headers);
        if (refused.isPresent()) {
            return refused.get();
        }
        List<Accepted> accepted = new ArrayList<>();
        for (String stack : controller.knownStacks()) {
            Optional<Ticket> ticket = queue.enqueue(stack, Trigger.MANUAL);
            if (ticket.isEmpty()) {
                return ApiError.of(Response.Status.SERVICE_UNAVAILABLE, "the reconcile queue is full; "
                        + accepted.size() + " stack(s) were queued before it filled");
            }
            accepted.add(new Accepted(ticket.get().operationId(), stack));
        }
        return Response.accepted(accepted).build();
    }

    @POST
    @Path("/stacks/{name}/suspend")
    public Response suspend(@PathParam("name") String name, @Context HttpHeaders headers) throws DesiredStateException {
        return setSuspended(name, true, headers);
    }

    @POST
    @Path("/stacks/{name}/resume")
    public Response resume(@PathParam("name") String name, @Context HttpHeaders headers) throws DesiredStateException {
        return setSuspended(name, false, headers);
    }

    private Response setSuspended(String name, boolean suspend, HttpHeaders headers) {
        Optional<Response> refused = token.refuse(headers).or(() -> unknownUnchecked(name));
        if (refused.isPresent()) {
            return refused.get();
        }
        if (suspend) {
            overrides.suspend(name);
        } else {
            overrides.resume(name);
        }
        Optional<Ticket> ticket = queue.enqueue(name, Trigger.MANUAL);
        return ticket.isEmpty()
                ? ApiError.of(Response.Status.SERVICE_UNAVAILABLE, "the reconcile queue is full; try again later")
                : finished(ticket.get());
    }

    private Response finished(Ticket ticket) {
        try {
            PassResult result = ticket.outcome().get(WAIT_SECONDS, TimeUnit.SECONDS);
            String outcome = switch (result.next()) {
                case DONE, CHECK_SOON -> "succeeded";
                case RETRY -> "retrying";
                case WAIT_FOR_CHANGE -> "failed";
            };
            return Response.ok(new Finished(ticket.operationId(), ticket.stack(), outcome, result.message(),
                    statuses.get(ticket.stack()).orElse(StackStatus.unknown(ticket.stack())))).build();
        } catch (TimeoutException e) {
            return Response.accepted(new Accepted(ticket.operationId(), ticket.stack())).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ApiError.of(Response.Status.SERVICE_UNAVAILABLE, "interrupted");
        } catch (ExecutionException e) {
            return ApiError.of(Response.Status.INTERNAL_SERVER_ERROR, e.getCause().toString());
        }
    }

    private Optional<Response> invalid(String name) {
        return StackName.problem(name).map(problem -> ApiError.of(Response.Status.BAD_REQUEST, problem));
    }

    private Optional<Response> unknown(String name) throws DesiredStateException {
        Optional<Response> invalid = invalid(name);
        if (invalid.isPresent()) {
            return invalid;
        }
        return statuses.get(name).isPresent() || controller.knows(name) ? Optional.empty()
                : Optional.of(ApiError.of(Response.Status.NOT_FOUND, "no stack " + name));
    }

    private Optional<Response> unknownUnchecked(String name) {
        try {
            return unknown(name);
        } catch (DesiredStateException e) {
            return Optional.of(ApiError.of(Response.Status.SERVICE_UNAVAILABLE, e.getMessage()));
        }
    }
}
