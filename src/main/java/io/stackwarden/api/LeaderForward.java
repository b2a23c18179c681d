package io.stackwarden.api;

import io.stackwarden.config.StackwardenConfig;
import io.stackwarden.leader.LeaderStatus;
import io.stackwarden.loop.Acting;
import io.stackwarden.loop.WriteGate;
import jakarta.inject.Inject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A mutating call or a webhook that reaches a standby is handed to the leader: the same method, path, query, headers
 * (the token and signatures included) and body, sent to the address the leader published with its lease, and the
 * leader's answer relayed as it is. When no leader is known or it does not answer, the caller gets 503 naming the
 * leader and a {@code Retry-After}: never a silent loss. A request is handed on once at most.
 */
@ApplicationScoped
public class LeaderForward {

    /** Marks a request one replica handed to another; it is never handed on again. */
    public static final String FORWARDED = "X-Stackwarden-Forwarded-By";
    /** On every API answer: the replica's role, and the leader it knows. */
    public static final String ROLE = "X-Stackwarden-Role";
    public static final String LEADER = "X-Stackwarden-Leader";

    private static final Logger LOG = Logger.getLogger(LeaderForward.class);
    /** Headers that describe one connection or the body's framing, which the client of the leader sets itself. */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "expect", "host", "keep-alive",
            "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "http2-settings");
    private static final Duration CONNECT = Duration.ofSeconds(3);

    @Inject
    Acting acting;
    @Inject
    StackwardenConfig config;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    /**
     * The leader's answer to this request when this replica is a standby; empty when this replica acts and handles it.
     *
     * @param body the request's body as received (empty for calls without one)
     */
    public Optional<Response> ifStandby(String method, UriInfo uri, HttpHeaders headers, byte[] body) {
        Optional<WriteGate.Refusal> standby = acting.refusal().filter(WriteGate.Refusal::standby);
        if (standby.isEmpty()) {
            return Optional.empty();
        }
        LeaderStatus status = acting.leadership().status();
        if (headers.getHeaderString(FORWARDED) != null) {
            return Optional.of(unavailable("this replica is a standby too (" + standby.get().message()
                    + "); a request is handed on once only"));
        }
        if (status.leaderAddress().isEmpty() || status.leader().equals(status.identity())) {
            return Optional.of(unavailable(standby.get().message() + "; try again shortly"));
        }
        URI target = URI.create(status.leaderAddress().replaceAll("/+$", "") + uri.getRequestUri().getRawPath()
                + (uri.getRequestUri().getRawQuery() == null ? "" : "?" + uri.getRequestUri().getRawQuery()));
        HttpRequest.Builder request = HttpRequest.newBuilder(target)
                .timeout(config.api().waitTimeout().plus(Duration.ofSeconds(30)))
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        for (Map.Entry<String, List<String>> header : headers.getRequestHeaders().entrySet()) {
            if (!HOP_BY_HOP.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                header.getValue().forEach(value -> request.header(header.getKey(), value));
            }
        }
        request.header(FORWARDED, status.identity());
        try {
            HttpResponse<byte[]> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            LOG.infof("standby: %s %s handed to the leader %s: %d", method, uri.getRequestUri().getRawPath(),
                    status.leader(), answer.statusCode());
            Response.ResponseBuilder relayed = Response.status(answer.statusCode()).entity(answer.body());
            for (String name : List.of("Content-Type", ROLE, LEADER, "Retry-After")) {
                answer.headers().firstValue(name).ifPresent(value -> relayed.header(name, value));
            }
            return Optional.of(relayed.build());
        } catch (IOException e) {
            return Optional.of(unavailable("standby: the leader " + status.leader() + " at " + status.leaderAddress()
                    + " did not answer (" + e.getMessage() + "); try again shortly"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of(unavailable("standby: interrupted while handing the request to the leader"));
        }
    }

    /** Whether this replica is a standby now (its mutating requests go to the leader). */
    public boolean standby() {
        return acting.refusal().filter(WriteGate.Refusal::standby).isPresent();
    }

    /** The role and the leader, for the headers of every API answer. */
    public Map<String, String> roleHeaders() {
        LeaderStatus status = acting.leadership().status();
        return Map.of(ROLE, acting.acting() ? "leader" : "standby", LEADER, status.leader());
    }

    private Response unavailable(String message) {
        Response answer = ApiError.of(Response.Status.SERVICE_UNAVAILABLE, message);
        return Response.fromResponse(answer).header("Retry-After", "5").build();
    }
}
