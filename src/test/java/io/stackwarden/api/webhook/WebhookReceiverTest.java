package io.stackwarden.api.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackwarden.api.webhook.WebhookReceiver.Outcome;
import io.stackwarden.api.webhook.WebhookReceiver.Result;
import io.stackwarden.support.ConstantTime;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One delivery from raw body to outcome, with a recording source and no HTTP. */
class WebhookReceiverTest {

    private static final byte[] SECRET = "receiver-test-secret".getBytes(StandardCharsets.UTF_8);
    private static final long MAX = 4096;
    private static final String MAIN_PUSH = "{\"ref\":\"refs/heads/main\",\"after\":\"9F3C2A1B7D0E4F5A6B7C8D9E0F1A2B3C4D5E6F70\"}";

    private final RecordingSource source = new RecordingSource(Optional.of("main"));
    private final WebhookReceiver receiver = new WebhookReceiver(source, new ObjectMapper(), MAX);

    private static String hmac(String body) {
        return HexFormat.of().formatHex(ConstantTime.hmacSha256(SECRET, body.getBytes(StandardCharsets.UTF_8)));
    }

    private static Map<String, String> headers(String... pairs) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i < pairs.length; i += 2) {
            headers.put(pairs[i], pairs[i + 1]);
        }
        return headers;
    }

    private Outcome receive(WebhookReceiver receiver, String provider, Optional<byte[]> secret, Map<String, String> headers,
                            String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return receiver.receive(WebhookProvider.named(provider).orElseThrow(), secret, headers::get, bytes.length,
                new ByteArrayInputStream(bytes));
    }

    private Outcome github(String event, String body) {
        return receive(receiver, "github", Optional.of(SECRET),
                headers("x-github-event", event, "x-hub-signature-256", "sha256=" + hmac(body)), body);
    }

    @Test
    void signedPushToTheFollowedBranchAsksForOneRefreshNamingTheShortCommit() {
        Outcome outcome = github("push", MAIN_PUSH);
        assertEquals(Result.ACCEPTED, outcome.result());
        assertEquals(202, outcome.result().status);
        assertEquals(List.of("github push 9f3c2a1"), source.requests());
        assertEquals("refresh requested: github push 9f3c2a1", outcome.message());
    }

    @Test
    void forgedOrMissingSignatureIsRefusedAndRequestsNothing() {
        Outcome forged = receive(receiver, "github", Optional.of(SECRET),
                headers("X-GitHub-Event", "push", "X-Hub-Signature-256", "sha256=" + hmac(MAIN_PUSH + " ")), MAIN_PUSH);
        assertEquals(Result.UNAUTHORIZED, forged.result());
        assertEquals("wrong signature in X-Hub-Signature-256", forged.message());
        Outcome unsigned = receive(receiver, "github", Optional.of(SECRET), headers("X-GitHub-Event", "push"), MAIN_PUSH);
        assertEquals(Result.UNAUTHORIZED, unsigned.result());
        assertEquals("unsigned request: X-Hub-Signature-256 is missing", unsigned.message());
        assertEquals(List.of(), source.requests());
    }

    @Test
    void unsignedRequestIsRefusedBeforeItsBodyIsRead() {
        Outcome outcome = receiver.receive(new GitHubHook(), Optional.of(SECRET), headers("X-GitHub-Event", "push")::get,
                -1, unreadable());
        assertEquals(Result.UNAUTHORIZED, outcome.result());
    }

    @Test
    void withoutASecretUnsignedPushesAreAccepted() {
        Outcome outcome = receive(receiver, "gitea", Optional.empty(), headers("X-Gitea-Event", "push"), MAIN_PUSH);
        assertEquals(Result.ACCEPTED, outcome.result());
        assertEquals(List.of("gitea push 9f3c2a1"), source.requests());
    }

    @Test
    void signatureIsCheckedBeforeThePayloadIsParsed() {
        Outcome outcome = receive(receiver, "github", Optional.of(SECRET),
                headers("X-GitHub-Event", "push", "X-Hub-Signature-256", "sha256=" + hmac("{}")), "not json");
        assertEquals(Result.UNAUTHORIZED, outcome.result());
    }

    @Test
    void declaredLengthOverTheCapIsRefusedWithoutReadingTheBody() {
        Outcome outcome = receiver.receive(new GitHubHook(), Optional.of(SECRET),
                headers("X-GitHub-Event", "push", "X-Hub-Signature-256", "sha256=" + hmac(MAIN_PUSH))::get,
                MAX + 1, unreadable());
        assertEquals(Result.TOO_LARGE, outcome.result());
        assertEquals(413, outcome.result().status);
        assertEquals(List.of(), source.requests());
    }

    @Test
    void undeclaredBodyOverTheCapIsRefusedAfterReadingOneByteMoreThanTheCap() throws IOException {
        CountingStream body = new CountingStream(new byte[(int) MAX * 10]);
        Outcome outcome = receiver.receive(new GitHubHook(), Optional.of(SECRET),
                headers("X-GitHub-Event", "push", "X-Hub-Signature-256", "sha256=00")::get, -1, body);
        assertEquals(Result.TOO_LARGE, outcome.result());
        assertEquals(MAX + 1, body.read);
        assertEquals(List.of(), source.requests());
    }

    @Test
    void bodyOfExactlyTheCapIsRead() throws IOException {
        byte[] body = new byte[(int) MAX];
        assertEquals(MAX, WebhookReceiver.readAtMost(new ByteArrayInputStream(body), MAX).orElseThrow().length);
        assertEquals(Optional.empty(), WebhookReceiver.readAtMost(new ByteArrayInputStream(new byte[(int) MAX + 1]), MAX));
    }

    @Test
    void pingIsAnsweredPongAndRequestsNothing() {
        Outcome outcome = github("ping", "{\"zen\":\"Keep it logically awesome.\",\"hook_id\":1}");
        assertEquals(Result.IGNORED, outcome.result());
        assertEquals("pong", outcome.message());
        assertEquals(List.of(), source.requests());
    }

    @Test
    void otherEventsAreIgnored() {
        Outcome outcome = github("pull_request", "{\"action\":\"opened\"}");
        assertEquals(Result.IGNORED, outcome.result());
        assertEquals("ignored: event pull_request is not a push", outcome.message());
        Outcome tagHook = receive(receiver, "gitlab", Optional.of(SECRET),
                headers("X-Gitlab-Event", "Tag Push Hook", "X-Gitlab-Token", "receiver-test-secret"),
                "{\"ref\":\"refs/tags/v1\"}");
        assertEquals(Result.IGNORED, tagHook.result());
        assertEquals(List.of(), source.requests());
    }

    @Test
    void missingEventHeaderIsInvalid() {
        Outcome outcome = receive(receiver, "github", Optional.of(SECRET),
                headers("X-Hub-Signature-256", "sha256=" + hmac(MAIN_PUSH)), MAIN_PUSH);
        assertEquals(Result.INVALID, outcome.result());
        assertEquals("the X-GitHub-Event header is missing", outcome.message());
    }

    @Test
    void pushToAnotherBranchOrATagIsIgnored() {
        Outcome other = github("push", "{\"ref\":\"refs/heads/dev\",\"after\":\"abcdef1234\"}");
        assertEquals(Result.IGNORED, other.result());
        assertEquals("ignored: the push moved [refs/heads/dev], not refs/heads/main", other.message());
        Outcome tag = github("push", "{\"ref\":\"refs/tags/main\",\"after\":\"abcdef1234\"}");
        assertEquals(Result.IGNORED, tag.result());
        assertEquals(List.of(), source.requests());
    }

    @Test
    void aPlainFolderFollowsEveryBranchButNoTag() {
        RecordingSource folder = new RecordingSource(Optional.empty());
        WebhookReceiver plain = new WebhookReceiver(folder, new ObjectMapper(), MAX);
        String dev = "{\"ref\":\"refs/heads/dev\",\"after\":\"abcdef1234\"}";
        String tag = "{\"ref\":\"refs/tags/v1\",\"after\":\"abcdef1234\"}";
        assertEquals(Result.ACCEPTED, receive(plain, "generic", Optional.empty(), headers(), dev).result());
        assertEquals(Result.IGNORED, receive(plain, "generic", Optional.empty(), headers(), tag).result());
        assertEquals(List.of("generic push abcdef1"), folder.requests());
    }

    @Test
    void followedBranchMayBeGivenAsAFullRef() {
        RecordingSource full = new RecordingSource(Optional.of("refs/heads/main"));
        WebhookReceiver receiver = new WebhookReceiver(full, new ObjectMapper(), MAX);
        assertEquals(Result.ACCEPTED, receive(receiver, "generic", Optional.empty(), headers(), MAIN_PUSH).result());
    }

    @Test
    void genericPushWithoutRefRefreshesAndCommitTextThatIsNoIdStaysOutOfTheReason() {
        Outcome outcome = receive(receiver, "generic", Optional.of(SECRET),
                headers("X-Stackwarden-Signature", "sha256=" + hmac("{\"after\":\"x\\ny\"}")), "{\"after\":\"x\\ny\"}");
        assertEquals(Result.ACCEPTED, outcome.result());
        assertEquals(List.of("generic push"), source.requests());
    }

    @Test
    void bitbucketPushCountsWhenOneOfItsChangesIsTheFollowedBranch() {
        String body = """
                {"push": {"changes": [
                  {"new": {"type": "tag", "name": "v2", "target": {"hash": "0123456789abcdef"}}},
                  {"new": {"type": "branch", "name": "main", "target": {"hash": "fedcba9876543210"}}}
                ]}}""";
        Outcome outcome = receive(receiver, "bitbucket", Optional.of(SECRET),
                headers("X-Event-Key", "repo:push", "X-Hub-Signature", "sha256=" + hmac(body)), body);
        assertEquals(Result.ACCEPTED, outcome.result());
        assertEquals(List.of("bitbucket push fedcba9"), source.requests());
    }

    @Test
    void malformedJsonOrANonObjectOrAnInvalidPushIsInvalid() {
        for (String body : List.of("{\"ref\": ", "[1,2]", "", "{\"after\":\"abc1234\"}")) {
            Outcome outcome = github("push", body);
            assertEquals(Result.INVALID, outcome.result(), body);
            assertEquals(400, outcome.result().status);
        }
        assertTrue(github("push", "{\"ref\": ").message().contains("not valid JSON"));
        assertEquals(List.of(), source.requests());
    }

    private static InputStream unreadable() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("the body must not be read");
            }
        };
    }

    /** Counts the bytes handed out. */
    private static final class CountingStream extends ByteArrayInputStream {
        long read;

        CountingStream(byte[] bytes) {
            super(bytes);
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            int n = super.read(b, off, len);
            read += Math.max(n, 0);
            return n;
        }
    }

    /** A push notification as distribution sends it: a blob event, then the manifest event with its tag. */
    private static final String REGISTRY_PUSH = """
            {"events": [
              {"id": "1", "action": "push", "target": {"mediaType": "application/octet-stream", "digest": "sha256:aa",
               "repository": "team/app", "url": "http://reg.example.test:5000/v2/team/app/blobs/sha256:aa"},
               "request": {"host": "reg.example.test:5000", "method": "PUT"}},
              {"id": "2", "action": "push", "target": {"mediaType": "application/vnd.docker.distribution.manifest.v2+json",
               "digest": "sha256:bb", "repository": "team/app", "tag": "1",
               "url": "http://reg.example.test:5000/v2/team/app/manifests/sha256:bb"},
               "request": {"host": "reg.example.test:5000", "method": "PUT"}},
              {"id": "3", "action": "pull", "target": {"repository": "team/other", "tag": "2"},
               "request": {"host": "reg.example.test:5000"}}
            ]}""";

    @Test
    void aRegistryPushNotificationWithTheSecretAsBearerTokenChecksThePushedTags() {
        List<List<String>> pushed = new java.util.ArrayList<>();
        WebhookReceiver withImages = new WebhookReceiver(source, references -> {
            pushed.add(references);
            return 1;
        }, new ObjectMapper(), MAX);
        Outcome accepted = receive(withImages, "registry", Optional.of(SECRET),
                headers("Authorization", "Bearer receiver-test-secret"), REGISTRY_PUSH);
        assertEquals(WebhookReceiver.Result.ACCEPTED, accepted.result(), accepted.message());
        assertEquals(List.of(List.of("reg.example.test:5000/team/app:1")), pushed);
        assertEquals(List.of(), source.requests(), "a registry push is no Git push");

        Outcome forged = receive(withImages, "registry", Optional.of(SECRET), headers("Authorization", "Bearer nope"),
                REGISTRY_PUSH);
        assertEquals(WebhookReceiver.Result.UNAUTHORIZED, forged.result());
        Outcome pullsOnly = receive(withImages, "registry", Optional.of(SECRET),
                headers("Authorization", "Bearer receiver-test-secret"), "{\"events\": []}");
        assertEquals(WebhookReceiver.Result.IGNORED, pullsOnly.result());
        Outcome notAnEnvelope = receive(withImages, "registry", Optional.of(SECRET),
                headers("Authorization", "Bearer receiver-test-secret"), "{\"ref\": \"refs/heads/main\"}");
        assertEquals(WebhookReceiver.Result.INVALID, notAnEnvelope.result());
        assertEquals(1, pushed.size());
    }
}
