package io.stackwarden.api;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** What a standby sends the leader: to the published address only when it is a plain one, with the headers the leader reads. */
class LeaderForwardTest {

    private static final URI REQUESTED = URI.create("http://standby:8080/api/v1/webhooks/github?x=1");
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private static HttpRequest handedOn(String address, Map<String, List<String>> headers) {
        return LeaderForward.handedOn(address, REQUESTED, "POST", headers, "{}".getBytes(), "m2/standby", TIMEOUT);
    }

    @Test
    void onlyTheHeadersTheLeaderReadsAreHandedOn() {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(Map.of("Authorization", List.of("Bearer t0ken"), "Content-Type", List.of("application/json"),
                "X-Hub-Signature-256", List.of("sha256=ab"), "X-GitHub-Event", List.of("push"), "x-gitlab-token", List.of("gl"),
                "Cookie", List.of("session=1"), "Proxy-Authorization", List.of("Basic cHJveHk="),
                "Accept-Encoding", List.of("gzip"), "X-Forwarded-For", List.of("10.0.0.1"), "Host", List.of("standby")));

        HttpRequest request = handedOn("http://10.0.1.5:8080/", headers);

        assertEquals(URI.create("http://10.0.1.5:8080/api/v1/webhooks/github?x=1"), request.uri());
        Map<String, List<String>> sent = request.headers().map();
        assertEquals(Optional.of("Bearer t0ken"), request.headers().firstValue("Authorization"));
        assertEquals(Optional.of("application/json"), request.headers().firstValue("Content-Type"));
        assertEquals(Optional.of("sha256=ab"), request.headers().firstValue("X-Hub-Signature-256"));
        assertEquals(Optional.of("push"), request.headers().firstValue("X-GitHub-Event"));
        assertEquals(Optional.of("gl"), request.headers().firstValue("X-Gitlab-Token"));
        assertEquals(Optional.of("m2/standby"), request.headers().firstValue(LeaderForward.FORWARDED));
        for (String name : List.of("Cookie", "Proxy-Authorization", "Accept-Encoding", "X-Forwarded-For", "Host")) {
            assertFalse(request.headers().firstValue(name).isPresent(), name + " is not handed on: " + sent);
        }
    }

    @Test
    void anAddressThatIsNotAPlainHttpHostAndPortGetsNothing() {
        Map<String, List<String>> headers = Map.of("Authorization", List.of("Bearer t0ken"));
        for (String address : List.of("http://user:pw@10.0.1.5:8080", "http://10.0.1.5:8080/other/path",
                "http://10.0.1.5:8080?q=1", "ftp://10.0.1.5", "not an address", "http://")) {
            assertThrows(IllegalArgumentException.class, () -> handedOn(address, headers), address);
        }
        assertEquals(URI.create("https://leader.example:8443/api/v1/webhooks/github?x=1"),
                handedOn("https://leader.example:8443", headers).uri());
    }
}
