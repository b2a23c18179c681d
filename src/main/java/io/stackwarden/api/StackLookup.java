package io.stackwarden.api;

import io.stackwarden.desired.DesiredStateException;
import io.stackwarden.desired.StackName;
import io.stackwarden.loop.StackController;
import io.stackwarden.loop.StatusStore;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.Response;

import java.util.Optional;

/** The answer to a request naming a stack that is invalid (400) or that nobody knows (404). */
@Singleton
public class StackLookup {

    @Inject
    StatusStore statuses;
    @Inject
    StackController controller;

    /** Empty for a valid name; otherwise the 400 to answer. */
    public Optional<Response> invalid(String name) {
        return StackName.problem(name).map(problem -> ApiError.of(Response.Status.BAD_REQUEST, problem));
    }

    /**
     * Empty when the stack has a status, is in the files or in the swarm as Stackwarden's; otherwise the
     * 400, 404 or (the files unreadable) 503 to answer.
     */
    public Optional<Response> unknown(String name) {
        Optional<Response> invalid = invalid(name);
        if (invalid.isPresent()) {
            return invalid;
        }
        try {
            return statuses.get(name).isPresent() || controller.knows(name) ? Optional.empty()
                    : Optional.of(ApiError.of(Response.Status.NOT_FOUND, "no stack " + name));
        } catch (DesiredStateException e) {
            return Optional.of(ApiError.of(Response.Status.SERVICE_UNAVAILABLE, e.getMessage()));
        }
    }
}
