package io.stackwarden.api;

import io.stackwarden.desired.source.SourceStatus;
import io.stackwarden.desired.source.SourceSync;
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

/** The desired-state source: revision, remote and branch (without credentials), last fetch, staleness. */
@Path("/api/v1/source")
@Produces(MediaType.APPLICATION_JSON)
public class SourceResource {

    @Inject
    SourceSync source;
    @Inject
    ApiToken token;

    @GET
    @APIResponse(responseCode = "200", description = "the source's status",
            content = @Content(schema = @Schema(implementation = SourceStatus.class)))
    @APIResponse(responseCode = "401", description = "the read-only API needs the token (stackwarden.api.read-requires-token)")
    public Response source(@Context HttpHeaders headers) {
        return token.refuseRead(headers).orElseGet(() -> Response.ok(source.status()).build());
    }
}
