package io.stackwarden.api;

import io.stackwarden.desired.source.SourceStatus;
import io.stackwarden.desired.source.SourceSync;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The desired-state source: revision, remote and branch (without credentials), last fetch, staleness. */
@Path("/api/v1/source")
@Produces(MediaType.APPLICATION_JSON)
public class SourceResource {

    @Inject
    SourceSync source;

    @GET
    public SourceStatus source() {
        return source.status();
    }
}
