package io.stackwarden.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.stackwarden.api.webhook.WebhookProvider;
import io.stackwarden.api.webhook.WebhookReceiver;
import io.stackwarden.api.webhook.WebhookSecret;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Push webhooks of Git hosts. The body is taken as raw bytes (a signature covers exactly what was
 * sent); an accepted push answers 202 at once and the source refreshes in the background.
 * <p>
 * Non-blocking on purpose: Quarkus REST reads the body of a blocking method on a worker thread, which
 * then waits for a slow client (a few hundred of them froze the daemon). A non-blocking method gets
 * its body collected on the event loop first; only then is the delivery handled, on a worker.
 * {@code quarkus.rest.input-buffer-size} must be at least {@code stackwarden.webhooks.max-body}: a larger
 * body is handed over unfinished, and is then found too large without waiting for its rest.
 */
@Path("/api/v1/webhooks")
@Produces(MediaType.APPLICATION_JSON)
public class WebhooksResource {

    private static final WebhookReceiver.Outcome SECRET_UNREADABLE = new WebhookReceiver.Outcome(WebhookReceiver.Result.UNAUTHORIZED,
            "the webhook secret cannot be read; every delivery is refused until it can");

    @Inject
    WebhookReceiver receiver;
    @Inject
    WebhookSecret secret;
    @Inject
    MeterRegistry metrics;
    @Inject
    LeaderForward leader;

    /** The answer to an authentic, well-formed delivery: accepted (202) or not (200, with the reason). */
    public record Answer(boolean accepted, String provider, String message) {
    }

    @POST
    @Path("/{provider}")
    @Consumes(MediaType.WILDCARD)
    @NonBlocking
    public Uni<Response> receive(@PathParam("provider") String name, @Context HttpHeaders headers, @Context UriInfo uri,
                                 InputStream body) {
        return Uni.createFrom().item(() -> handle(name, headers, uri, body)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private Response handle(String name, HttpHeaders headers, UriInfo uri, InputStream body) {
        Optional<WebhookProvider> provider = WebhookProvider.named(name);
        if (provider.isEmpty()) {
            return ApiError.of(Response.Status.NOT_FOUND, "no webhook provider " + name + "; use one of "
                    + WebhookProvider.ALL.stream().map(WebhookProvider::name).collect(Collectors.joining(", ")));
        }
        if (leader.standby()) {
            // The leader acts; a body over the cap is refused here, unread beyond it.
            Optional<byte[]> bytes = Optional.empty();
            try {
                bytes = headers.getLength() > receiver.maxBody() ? bytes : WebhookReceiver.readAtMost(body, receiver.maxBody());
            } catch (IOException e) {
                return ApiError.of(Response.Status.BAD_REQUEST, "the body could not be read: " + e.getMessage());
            }
            if (bytes.isEmpty()) {
                return count(name, "too_large", ApiError.of(Response.Status.REQUEST_ENTITY_TOO_LARGE,
                        WebhookReceiver.tooLargeMessage(receiver.maxBody())));
            }
            // Only an authentic delivery is worth a call to the leader: a forged one gets its 401 here.
            Optional<WebhookReceiver.Outcome> unauthentic;
            try {
                unauthentic = receiver.unauthentic(provider.get(), secret.current(), headers::getHeaderString, bytes.get());
            } catch (IOException e) {
                unauthentic = Optional.of(SECRET_UNREADABLE);
            }
            if (unauthentic.isPresent()) {
                return count(name, unauthentic.get().result().tag(), ApiError.of(Response.Status.UNAUTHORIZED,
                        unauthentic.get().message()));
            }
            Optional<Response> handed = leader.ifStandby("POST", uri, headers, bytes.get());
            if (handed.isPresent()) {
                return count(name, "forwarded", handed.get());
            }
            body = new ByteArrayInputStream(bytes.get());
        }
        WebhookReceiver.Outcome outcome;
        try {
            outcome = receiver.receive(provider.get(), secret.current(), headers::getHeaderString, headers.getLength(), body);
        } catch (IOException e) {
            outcome = SECRET_UNREADABLE;
        }
        return count(name, outcome.result().tag(), switch (outcome.result()) {
            case ACCEPTED, IGNORED -> Response.status(outcome.result().status)
                    .entity(new Answer(outcome.result() == WebhookReceiver.Result.ACCEPTED, name, outcome.message()))
                    .build();
            default -> ApiError.of(Response.Status.fromStatusCode(outcome.result().status), outcome.message());
        });
    }

    /** Counts the delivery by provider and result ({@code forwarded}: a standby handed it to the leader). */
    private Response count(String provider, String result, Response answer) {
        Counter.builder("stackwarden.webhooks")
                .description("Webhook deliveries by provider and result")
                .tags("provider", provider, "result", result)
                .register(metrics).increment();
        return answer;
    }
}
