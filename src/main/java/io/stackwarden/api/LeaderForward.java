package io.stackwarden.api;

import io.stackwarden.api.webhook.WebhookProvider;
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
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A mutating call or a webhook that reaches a standby is handed to the leader: the same method, path, query, body and
 * the headers the leader reads (the token, the content type, the webhooks' signatures and events; no others: not a
 * cookie, nor an {@code Accept-Encoding} whose compressed answer would be relayed without its encoding), sent to the
 * address the leader published with its lease when that is a plain {@code http(s)://host[:port]}, and the leader's
 * answer relayed as it is. When no leader is known or it does not answer, the caller gets 503 naming the
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
    /** The headers the leader reads, in lower case: the API's and every webhook provider's. */
    private static final Set<String> HANDED_ON = Stream.concat(Stream.of("authorization", "content-type"),
                    WebhookProvider.ALL.stream().flatMap(p -> Stream.concat(Stream.of(p.signatureHeader()), p.eventHeader().stream())))
            .map(name -> name.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    /** What a leader may publish as its address: no user, path, query or fragment. */
    private static final Pattern ADDRESS = Pattern.compile("https?://[^/\\s@?#]+/?");
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
        HttpRequest request;
        try {
            request = handedOn(status.leaderAddress(), uri.getRequestUri(), method, headers.getRequestHeaders(), body,
                    status.identity(), config.api().waitTimeout().plus(Duration.ofSeconds(30)));
        } catch (IllegalArgumentException e) {
            // Not the JDK's message: it quotes the header value, which may be the token.
            LOG.warnf("standby: %s %s not handed to %s: its address is not http(s)://host:port, or a header value cannot be"
                    + " sent on", method, uri.getRequestUri().getRawPath(), status.leaderDescription());
            return Optional.of(unavailable("standby: the request cannot be handed to " + status.leaderDescription()
                    + " (an address that is not http(s)://host:port, or a header that cannot be sent on)"));
        }
        try {
            HttpResponse<byte[]> answer = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
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

    /**
     * The request as the leader gets it: to {@code address} with the path and query of {@code requested}, and only the
     * headers the leader reads.
     *
     * @throws IllegalArgumentException when {@code address} is not {@code http(s)://host[:port]}, or a header value
     *                                  cannot be sent (then its message quotes the value: never show it)
     */
    static HttpRequest handedOn(String address, URI requested, String method, Map<String, List<String>> headers, byte[] body,
                                String identity, Duration timeout) {
        if (!ADDRESS.matcher(address).matches()) {
            throw new IllegalArgumentException("the leader's address is not http(s)://host:port");
        }
        URI target = URI.create(address.replaceAll("/+$", "") + requested.getRawPath()
                + (requested.getRawQuery() == null ? "" : "?" + requested.getRawQuery()));
        HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(timeout)
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach((name, values) -> {
            if (HANDED_ON.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> request.header(name, value));
            }
        });
        return request.header(FORWARDED, identity).build();
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
