package io.stackwarden.notify;

import com.fasterxml.jackson.databind.JsonNode;
import io.stackwarden.api.webhook.GenericHook;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each sink against a real HTTP server that checks the requests each service documents: path, headers, body. */
class SinksTest {

    private static final String SHA = "0123456789abcdef0123456789abcdef01234567";
    private static final String TOKEN = "ghp-secret-token-0123456789";
    private static final Instant AT = Instant.parse("2026-01-01T10:00:00Z");

    @TempDir
    Path dir;

    private final RecordingServer server = new RecordingServer();
    private final HttpPoster http = new HttpPoster(Duration.ofSeconds(10));

    SinksTest() throws Exception {
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static Notice deploy(String state, String detail) {
        return Notice.of(NoticeKind.DEPLOY, "shop", state, state.equals(Notices.FAILURE) ? Notice.Level.FAILURE : Notice.Level.OK,
                "git:" + SHA, "stack shop: revision " + SHA.substring(0, 12) + " " + state, detail, AT);
    }

    private static Notice degraded() {
        return Notice.of(NoticeKind.HEALTH, "shop", "Degraded", Notice.Level.FAILURE, "git:" + SHA, "stack shop is Degraded",
                "service shop_web: 0/2 tasks running", AT).after("Healthy");
    }

    private Path file(String name, String content) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, content + "\n");
        return file;
    }

    private Channel channel(SinkSettings settings) {
        assertEquals(List.of(), settings.problems());
        return settings.channel(http);
    }

    private SinkSettings settings(String name, String type, Optional<String> url, Optional<Path> secret, Optional<Path> token,
                                  Optional<String> repository) {
        return new SinkSettings(name, type, url, Optional.empty(), secret, token, repository, List.of(), List.of(),
                Duration.ofHours(6), "stackwarden/{stack}", Optional.of("https://stackwarden.example/stacks/{stack}"));
    }

    @Test
    void theJsonWebhookPostsTheNoticeSignedWithHmacSha256OverTheExactBody() throws Exception {
        Path secret = file("hook-secret", "s3cret-key");
        Channel webhook = channel(settings("ops", "webhook", Optional.of(server.uri("/hooks/stackwarden").toString()),
                Optional.of(secret), Optional.empty(), Optional.empty()));

        webhook.sink().deliver(degraded());

        RecordingServer.Request request = server.only();
        assertEquals("POST", request.method());
        assertEquals("/hooks/stackwarden", request.path());
        assertEquals("application/json", request.header("Content-Type"));
        assertEquals("health", request.header("X-Stackwarden-Event"));
        String signature = request.header("X-Stackwarden-Signature");
        assertTrue(signature.startsWith("sha256="), signature);
        // Stackwarden's own receiver of generic webhooks accepts it: the same scheme both ways.
        assertTrue(new GenericHook().verifies("s3cret-key".getBytes(StandardCharsets.UTF_8), request.body(), signature));
        assertFalse(new GenericHook().verifies("other".getBytes(StandardCharsets.UTF_8), request.body(), signature));
        JsonNode body = request.json();
        assertEquals("health", body.path("kind").asText());
        assertEquals("shop", body.path("stack").asText());
        assertEquals("Degraded", body.path("state").asText());
        assertEquals("Healthy", body.path("previous").asText());
        assertEquals("failure", body.path("level").asText());
        assertEquals("git:" + SHA, body.path("revision").asText());
        assertEquals("stack shop is Degraded (was Healthy)", body.path("summary").asText());
        assertEquals("service shop_web: 0/2 tasks running", body.path("detail").asText());
        assertEquals("2026-01-01T10:00:00Z", body.path("at").asText());
        assertFalse(body.path("reminder").asBoolean());
        assertFalse(new String(request.body(), StandardCharsets.UTF_8).contains("s3cret-key"));
    }

    @Test
    void withoutASecretTheWebhookIsUnsigned() throws Exception {
        channel(settings("ops", "webhook", Optional.of(server.uri("/h").toString()), Optional.empty(), Optional.empty(),
                Optional.empty())).sink().deliver(degraded());
        assertEquals(null, server.only().header("X-Stackwarden-Signature"));
    }

    @Test
    void slackGetsTextAndBlocksFromAUrlKeptInAFile() throws Exception {
        Path url = file("slack-url", server.uri("/services/T000/B000/XXXX").toString());
        Channel slack = channel(new SinkSettings("team", "slack", Optional.empty(), Optional.of(url), Optional.empty(),
                Optional.empty(), Optional.empty(), List.of(), List.of(), Duration.ZERO, "stackwarden/{stack}", Optional.empty()));

        slack.sink().deliver(Notice.of(NoticeKind.DEPLOY, "shop", Notices.FAILURE, Notice.Level.FAILURE, "git:" + SHA,
                "stack shop: revision 0123456789ab failed", "image <app:2> & more", AT));

        RecordingServer.Request request = server.only();
        assertEquals("/services/T000/B000/XXXX", request.path());
        assertEquals("application/json", request.header("Content-Type"));
        JsonNode body = request.json();
        assertEquals(":x: stack shop: revision 0123456789ab failed", body.path("text").asText());
        JsonNode section = body.path("blocks").get(0);
        assertEquals("section", section.path("type").asText());
        assertEquals("mrkdwn", section.path("text").path("type").asText());
        assertEquals("*:x: stack shop: revision 0123456789ab failed*\nimage &lt;app:2&gt; &amp; more",
                section.path("text").path("text").asText());
        assertEquals("context", body.path("blocks").get(1).path("type").asText());
        assertEquals("deploy · git:" + SHA, body.path("blocks").get(1).path("elements").get(0).path("text").asText());
    }

    @Test
    void gitHubGetsACommitStatusWithABearerToken() throws Exception {
        Channel github = channel(settings("gh", "github", Optional.of(server.uri("/api/v3").toString()), Optional.empty(),
                Optional.of(file("gh-token", TOKEN)), Optional.of("acme/deploy")));

        github.sink().deliver(deploy(Notices.PENDING, ""));
        github.sink().deliver(deploy(Notices.SUCCESS, ""));
        github.sink().deliver(deploy(Notices.FAILURE, "x".repeat(300)));

        List<RecordingServer.Request> requests = server.requests();
        assertEquals(3, requests.size());
        for (RecordingServer.Request request : requests) {
            assertEquals("POST", request.method());
            assertEquals("/api/v3/repos/acme/deploy/statuses/" + SHA, request.path());
            assertEquals("Bearer " + TOKEN, request.header("Authorization"));
            assertEquals("application/vnd.github+json", request.header("Accept"));
            assertEquals("2022-11-28", request.header("X-GitHub-Api-Version"));
            assertEquals("stackwarden/shop", request.json().path("context").asText());
            assertEquals("https://stackwarden.example/stacks/shop", request.json().path("target_url").asText());
        }
        assertEquals(List.of("pending", "success", "failure"), requests.stream().map(r -> r.json().path("state").asText()).toList());
        assertEquals("Applied; tasks starting", requests.get(0).json().path("description").asText());
        assertEquals("Deployed and healthy", requests.get(1).json().path("description").asText());
        assertEquals(CommitStatusSink.DESCRIPTION_LENGTH, requests.get(2).json().path("description").asText().length());
    }

    @Test
    void gitLabGetsAPipelineStatusWithAPrivateTokenAndItsOwnWords() throws Exception {
        Channel gitlab = channel(settings("gl", "gitlab", Optional.of(server.uri("").toString()), Optional.empty(),
                Optional.of(file("gl-token", "glpat-abc")), Optional.of("group/deploy")));

        gitlab.sink().deliver(deploy(Notices.PENDING, ""));
        gitlab.sink().deliver(deploy(Notices.SUCCESS, ""));
        gitlab.sink().deliver(deploy(Notices.FAILURE, "image not found"));

        List<RecordingServer.Request> requests = server.requests();
        for (RecordingServer.Request request : requests) {
            // The project's path is URL-encoded into one segment, as GitLab documents.
            assertEquals("/api/v4/projects/group%2Fdeploy/statuses/" + SHA, request.rawPath());
            assertEquals("glpat-abc", request.header("PRIVATE-TOKEN"));
            assertEquals(null, request.header("Authorization"));
            assertEquals("stackwarden/shop", request.json().path("name").asText());
        }
        assertEquals(List.of("running", "success", "failed"), requests.stream().map(r -> r.json().path("state").asText()).toList());
        assertEquals("Failed: image not found", requests.get(2).json().path("description").asText());
    }

    @Test
    void gitLabTakesANumericProjectIdAsItIs() throws Exception {
        channel(settings("gl", "gitlab", Optional.of(server.uri("/").toString()), Optional.empty(),
                Optional.of(file("gl-token", "glpat-abc")), Optional.of("42"))).sink().deliver(deploy(Notices.SUCCESS, ""));
        assertEquals("/api/v4/projects/42/statuses/" + SHA, server.only().rawPath());
    }

    @Test
    void giteaGetsACommitStatusWithATokenHeader() throws Exception {
        Channel gitea = channel(settings("tea", "gitea", Optional.of(server.uri("/").toString()), Optional.empty(),
                Optional.of(file("tea-token", "tea-token-1")), Optional.of("acme/deploy")));

        gitea.sink().deliver(deploy(Notices.FAILURE, "refused"));

        RecordingServer.Request request = server.only();
        assertEquals("/api/v1/repos/acme/deploy/statuses/" + SHA, request.path());
        assertEquals("token tea-token-1", request.header("Authorization"));
        JsonNode body = request.json();
        assertEquals("failure", body.path("state").asText());
        assertEquals("stackwarden/shop", body.path("context").asText());
        assertEquals("Failed: refused", body.path("description").asText());
        assertEquals("https://stackwarden.example/stacks/shop", body.path("target_url").asText());
    }

    @Test
    void commitStatusesAreOnlyForDeploysOfGitRevisions() throws Exception {
        Sink github = channel(settings("gh", "github", Optional.of(server.uri("/").toString()), Optional.empty(),
                Optional.of(file("gh-token", TOKEN)), Optional.of("acme/deploy"))).sink();
        assertTrue(github.handles(deploy(Notices.SUCCESS, "")));
        assertFalse(github.handles(degraded()));
        assertFalse(github.handles(Notice.of(NoticeKind.DEPLOY, "shop", Notices.SUCCESS, Notice.Level.OK, "dir:abcdef012345",
                "stack shop: revision dir:abcdef012345 deployed and healthy", "", AT)));
    }

    @Test
    void busyOrUnreachableReceiversAreWorthARetryRefusalsAreNotAndNoFailureNamesASecret() throws Exception {
        Sink github = channel(settings("gh", "github", Optional.of(server.uri("/").toString()), Optional.empty(),
                Optional.of(file("gh-token", TOKEN)), Optional.of("acme/deploy"))).sink();
        server.answering(503, 429, 401);

        DeliveryFailure busy = assertThrows(DeliveryFailure.class, () -> github.deliver(deploy(Notices.SUCCESS, "")));
        DeliveryFailure limited = assertThrows(DeliveryFailure.class, () -> github.deliver(deploy(Notices.SUCCESS, "")));
        DeliveryFailure refused = assertThrows(DeliveryFailure.class, () -> github.deliver(deploy(Notices.SUCCESS, "")));

        assertTrue(busy.retryable());
        assertTrue(limited.retryable());
        assertFalse(refused.retryable());
        assertEquals("answered HTTP 401", refused.getMessage());
        server.close();
        DeliveryFailure gone = assertThrows(DeliveryFailure.class, () -> github.deliver(deploy(Notices.SUCCESS, "")));
        assertTrue(gone.retryable());
        for (DeliveryFailure failure : List.of(busy, limited, refused, gone)) {
            assertFalse(failure.getMessage().contains(TOKEN), failure.getMessage());
            assertFalse(failure.getMessage().contains("127.0.0.1"), failure.getMessage());
        }
    }

    @Test
    void aMissingTokenFileFailsTheDeliveryRetryablyNamingThePropertyNotTheContent() throws Exception {
        Path token = file("gh-token", TOKEN);
        Sink github = channel(settings("gh", "github", Optional.of(server.uri("/").toString()), Optional.empty(),
                Optional.of(token), Optional.of("acme/deploy"))).sink();
        Files.delete(token);

        DeliveryFailure failure = assertThrows(DeliveryFailure.class, () -> github.deliver(deploy(Notices.SUCCESS, "")));

        assertTrue(failure.retryable());
        assertTrue(failure.getMessage().contains("stackwarden.notify.sinks.gh.token-file"), failure.getMessage());
        assertEquals(List.of(), server.requests());
    }

    @Test
    void aTokenOrUrlFileThatMakesNoValidRequestFailsWithoutQuotingIt() throws Exception {
        Sink github = channel(settings("gh", "github", Optional.of(server.uri("/").toString()), Optional.empty(),
                Optional.of(file("gh-token", TOKEN + "\nsecond-line")), Optional.of("acme/deploy"))).sink();
        Sink slack = channel(new SinkSettings("team", "slack", Optional.empty(), Optional.of(file("slack-url",
                "https:/hooks.example/services/T000/B000/" + TOKEN)), Optional.empty(), Optional.empty(), Optional.empty(),
                List.of(), List.of(), Duration.ZERO, "stackwarden/{stack}", Optional.empty())).sink();

        for (Sink sink : List.of(github, slack)) {
            DeliveryFailure failure = assertThrows(DeliveryFailure.class, () -> sink.deliver(deploy(Notices.SUCCESS, "")));
            assertFalse(failure.retryable(), "the same file fails the same way");
            assertFalse(failure.getMessage().contains(TOKEN), failure.getMessage());
        }
        assertEquals(List.of(), server.requests());
    }
}
