package io.stackwarden.api;

import io.stackwarden.desired.DesiredStateException;
import io.stackwarden.swarm.EngineException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Failures of the desired state or the engine answer 503 with the reason, never a stack trace. */
public class ApiExceptionMappers {

    @ServerExceptionMapper
    public Response desiredState(DesiredStateException e) {
        return ApiError.of(Response.Status.SERVICE_UNAVAILABLE, e.getMessage());
    }

    @ServerExceptionMapper
    public Response engine(EngineException e) {
        return ApiError.of(Response.Status.SERVICE_UNAVAILABLE, e.getMessage());
    }
}
