package io.stackwarden.api;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.stackwarden.api.webhook.RecordingSource;
import io.stackwarden.desired.SourceRefresh;
import io.stackwarden.support.ConstantTime;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The webhooks over HTTP in the test profile: a secret file (src/test/resources/webhook-secret), a body
 * cap of 64K below the global 1M, and a recording source that follows {@code main}.
 */
@QuarkusTest
class WebhooksResourceTest {

    private static final String SECRET = "test-webhook-secret-0123456789";
    private static final String COMMIT = "4c2a9e1f0b3d5a7c9e1f2a3b4c5d6e7f8a9b0c1d";

    @TestHTTPResource("/")
    URL root;

    private RecordingSource source;

    @BeforeEach
    void recordRefreshes() {
        source = new RecordingSource(Optional.of("main"));
        QuarkusMock.installMockForType(source, SourceRefresh.class);
    }

    /** A push of {@code ref} as {@code provider} sends it. */
    private static String push(String provider, String ref) {
        if (provider.equals("bitbucket")) {
            String[] parts = ref.split("/", 3);
            String type = parts[1].equals("heads") ? "branch" : "tag";
            return "{\"push\":{\"changes\":[{\"new\":{\"type\":\"" + type + "\",\"name\":\"" + parts[2]
                    + "\",\"target\":{\"hash\":\"" + COMMIT + "\"}},\"old\":null}]},\"repository\":{\"full_name\":\"o/r\"}}";
        }
        return "{\"ref\":\"" + ref + "\",\"before\":\"0000000000000000000000000000000000000000\",\"after\":\""
                + COMMIT + "\",\"commits\":[]}";
    }

    private static String hmac(String secret, byte[] body) {
        return HexFormat.of().formatHex(ConstantTime.hmacSha256(secret.getBytes(StandardCharsets.UTF_8), body));
    }

    /** The request as {@code provider} sends it for {@code event}, signed with {@code secret} (null: unsigned). */
    private static RequestSpecification delivery(String provider, String event, String secret, byte[] body) {
        RequestSpecification request = given().contentType("application/json").body(body);
        switch (provider) {
            case "github" -> request.header("X-GitHub-Event", event);
            case "gitlab" -> request.header("X-Gitlab-Event", event.equals("push") ? "Push Hook" : "Issue Hook");
            case "gitea" -> request.header("X-Gitea-Event", event);
            case "bitbucket" -> request.header("X-Event-Key", event.equals("push") ? "repo:push" : "issue:created");
            default -> {
            }
        }
        if (secret != null) {
            switch (provider) {
                case "github" -> request.header("X-Hub-Signature-256", "sha256=" + hmac(secret, body));
                case "gitlab" -> request.header("X-Gitlab-Token", secret);
                case "gitea" -> request.header("X-Gitea-Signature", hmac(secret, body));
                case "bitbucket" -> request.header("X-Hub-Signature", "sha256=" + hmac(secret, body));
                default -> request.header("X-Stackwarden-Signature", "sha256=" + hmac(secret, body));
            }
        }
        return request;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"github", "gitlab", "gitea", "bitbucket", "generic"})
    void signedPushToTheFollowedBranchIsAcceptedAndAsksForExactlyOneRefresh(String provider) {
        delivery(provider, "push", SECRET, bytes(push(provider, "refs/heads/main")))
                .post("/api/v1/webhooks/" + provider).then().statusCode(202)
                .body("accepted", equalTo(true)).body("provider", equalTo(provider))
                .body("message", equalTo("refresh requested: " + provider + " push 4c2a9e1"));
        assertEquals(List.of(provider + " push 4c2a9e1"), source.requests());
    }

    @ParameterizedTest
    @ValueSource(strings = {"github", "gitlab", "gitea", "bitbucket", "generic"})
    void forgedSignatureGets401AndRequestsNothing(String provider) {
        delivery(provider, "push", "not-the-secret", bytes(push(provider, "refs/heads/main")))
                .post("/api/v1/webhooks/" + provider).then().statusCode(401)
                .body("status", equalTo(401)).body("error", containsString("wrong signature"));
        assertEquals(List.of(), source.requests());
    }

    @ParameterizedTest
    @ValueSource(strings = {"github", "gitlab", "gitea", "bitbucket", "generic"})
    void unsignedPushGets401AndRequestsNothing(String provider) {
        delivery(provider, "push", null, bytes(push(provider, "refs/heads/main")))
                .post("/api/v1/webhooks/" + provider).then().statusCode(401)
                .body("error", containsString("unsigned request"));
        assertEquals(List.of(), source.requests());
    }

    @ParameterizedTest
    @ValueSource(strings = {"github", "gitlab", "gitea", "bitbucket", "generic"})
    void pushToAnotherBranchOrATagIsIgnoredAndRequestsNothing(String provider) {
        for (String ref : List.of("refs/heads/dev", "refs/tags/v1.0")) {
            delivery(provider, "push", SECRET, bytes(push(provider, ref)))
                    .post("/api/v1/webhooks/" + provider).then().statusCode(200)
                    .body("accepted", equalTo(false)).body("message", containsString("ignored: the push moved [" + ref + "]"));
        }
        assertEquals(List.of(), source.requests());
    }

    @ParameterizedTest
    @ValueSource(strings = {"github", "gitlab", "gitea", "bitbucket", "generic"})
    void bodyOverTheWebhookCapGets413AndRequestsNothing(String provider) {
        String padded = push(provider, "refs/heads/main").replace("{\"", "{\"padding\":\"" + "x".repeat(70_000) + "\",\"");
        delivery(provider, "push", SECRET, bytes(padded))
                .post("/api/v1/webhooks/" + provider).then().statusCode(413)
                .body("error", containsString("stackwarden.webhooks.max-body"));
        assertEquals(List.of(), source.requests());
    }

    @ParameterizedTest
    @ValueSource(strings = {"github", "gitlab", "gitea", "bitbucket", "generic"})
    void signedMalformedJsonGets400AndRequestsNothing(String provider) {
        delivery(provider, "push", SECRET, bytes("{\"ref\": \"refs/heads/main\""))
                .post("/api/v1/webhooks/" + provider).then().statusCode(400)
                .body("error", containsString("not valid JSON"));
        assertEquals(List.of(), source.requests());
    }

    @ParameterizedTest
    @ValueSource(strings = {"github", "gitlab", "gitea", "bitbucket"})
    void otherEventsAreIgnored(String provider) {
        delivery(provider, "issues", SECRET, bytes("{\"action\":\"opened\"}"))
                .post("/api/v1/webhooks/" + provider).then().statusCode(200)
                .body("accepted", equalTo(false)).body("message", containsString("is not a push"));
        assertEquals(List.of(), source.requests());
    }

    @Test
    void gitHubPingIsAnsweredPong() {
        delivery("github", "ping", SECRET, bytes("{\"zen\":\"Design for failure.\",\"hook_id\":7}"))
                .post("/api/v1/webhooks/github").then().statusCode(200)
                .body("accepted", equalTo(false)).body("message", equalTo("pong"));
        assertEquals(List.of(), source.requests());
    }

    @Test
    void genericPushWithoutRefRefreshes() {
        delivery("generic", "push", SECRET, bytes("{}")).post("/api/v1/webhooks/generic").then().statusCode(202);
        assertEquals(List.of("generic push"), source.requests());
    }

    /** Sends only the head of a signed GitHub push declaring {@code length} bytes; returns the status line. */
    private String statusForDeclaredLength(long length) throws Exception {
        try (Socket socket = new Socket(root.getHost(), root.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST /api/v1/webhooks/github HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json\r\nX-GitHub-Event: push\r\nX-Hub-Signature-256: sha256="
                    + "0".repeat(64) + "\r\nContent-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        }
    }

    @Test
    void declaredLengthOverTheWebhookCapGets413BeforeAnyOfTheBodyIsSent() throws Exception {
        String status = statusForDeclaredLength(500_000);
        assertTrue(status.startsWith("HTTP/1.1 413"), status);
        assertEquals(List.of(), source.requests());
    }

    @Test
    void declaredLengthOverTheGlobalLimitGets413Too() throws Exception {
        String status = statusForDeclaredLength(2 * 1024 * 1024);
        assertTrue(status.startsWith("HTTP/1.1 413"), status);
        assertEquals(List.of(), source.requests());
    }

    @Test
    void unknownProviderGets404NamingTheKnownOnes() {
        delivery("github", "push", SECRET, bytes(push("github", "refs/heads/main")))
                .post("/api/v1/webhooks/svn").then().statusCode(404)
                .body("error", equalTo("no webhook provider svn; use one of github, gitlab, gitea, bitbucket, generic, registry"));
        assertEquals(List.of(), source.requests());
    }

    @Test
    void deliveriesAreCountedByProviderAndResult() {
        delivery("gitea", "push", "not-the-secret", bytes(push("gitea", "refs/heads/main")))
                .post("/api/v1/webhooks/gitea").then().statusCode(401);
        delivery("gitea", "push", SECRET, bytes(push("gitea", "refs/heads/main")))
                .post("/api/v1/webhooks/gitea").then().statusCode(202);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("stackwarden_webhooks_total{provider=\"gitea\",result=\"unauthorized\"}"))
                .body(containsString("stackwarden_webhooks_total{provider=\"gitea\",result=\"accepted\"}"));
    }
}
