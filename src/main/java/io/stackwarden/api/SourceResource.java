package io.stackwarden.api;

import io.stackwarden.desired.source.SourceSync;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The desired-state source: revision, remote and branch (without credentials), last fetch, staleness. */
@Path("/api/v1/source")
@Produces(MediaType.APPLICATION_JSON)
public class SourceResource {

    @Inject
    SourceSync source;
    @Inject
    ApiToken token;

    @GET
    public Response source(@Context HttpHeaders headers) {
        return token.refuseRead(headers).orElseGet(() -> Response.ok(source.status()).build());
    }
}
