package io.stackwarden.api.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each provider's signature check, event names and push payload, against known values. */
class WebhookProviderTest {

    /** GitHub's documented test values; every HMAC provider signs the same way, only the header differs. */
    private static final byte[] SECRET = "It's a Secret to Everybody".getBytes(StandardCharsets.UTF_8);
    private static final byte[] PAYLOAD = "Hello, World!".getBytes(StandardCharsets.UTF_8);
    private static final String HMAC = "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
    private static final String OTHER_HMAC = "0" + HMAC.substring(1);

    private final ObjectMapper json = new ObjectMapper();

    private JsonNode payload(String text) throws Exception {
        return json.readTree(text);
    }

    @Test
    void everyProviderIsFoundByItsName() {
        for (String name : List.of("github", "gitlab", "gitea", "bitbucket", "generic")) {
            assertEquals(name, WebhookProvider.named(name).orElseThrow().name());
        }
        assertEquals(Optional.empty(), WebhookProvider.named("svn"));
        assertEquals(Optional.empty(), WebhookProvider.named("GitHub"));
    }

    @Test
    void gitHubChecksXHubSignature256WithItsSha256Prefix() {
        GitHubHook github = new GitHubHook();
        assertEquals("X-Hub-Signature-256", github.signatureHeader());
        assertTrue(github.verifies(SECRET, PAYLOAD, "sha256=" + HMAC));
        assertFalse(github.verifies(SECRET, PAYLOAD, "sha256=" + OTHER_HMAC));
        assertFalse(github.verifies(SECRET, PAYLOAD, HMAC), "the prefix is required");
        assertFalse(github.verifies(SECRET, PAYLOAD, "sha1=" + HMAC));
        assertFalse(github.verifies(SECRET, PAYLOAD, "sha256="));
        assertFalse(github.verifies(SECRET, PAYLOAD, "sha256=" + HMAC.substring(0, 40)), "a shorter signature");
        assertFalse(github.verifies("It's a Secret to Everybody!".getBytes(StandardCharsets.UTF_8), PAYLOAD, "sha256=" + HMAC));
    }

    @Test
    void giteaChecksXGiteaSignatureAsBareHex() {
        GiteaHook gitea = new GiteaHook();
        assertEquals("X-Gitea-Signature", gitea.signatureHeader());
        assertTrue(gitea.verifies(SECRET, PAYLOAD, HMAC));
        assertFalse(gitea.verifies(SECRET, PAYLOAD, OTHER_HMAC));
        assertFalse(gitea.verifies(SECRET, PAYLOAD, "sha256=" + HMAC), "Gitea sends no prefix");
        assertFalse(gitea.verifies(SECRET, PAYLOAD, "not hex at all"));
    }

    @Test
    void bitbucketChecksXHubSignatureWithSha256Prefix() {
        BitbucketHook bitbucket = new BitbucketHook();
        assertEquals("X-Hub-Signature", bitbucket.signatureHeader());
        assertTrue(bitbucket.verifies(SECRET, PAYLOAD, "sha256=" + HMAC));
        assertFalse(bitbucket.verifies(SECRET, PAYLOAD, "sha256=" + OTHER_HMAC));
        assertFalse(bitbucket.verifies(SECRET, PAYLOAD, HMAC));
        assertFalse(bitbucket.verifies(SECRET, PAYLOAD, "sha256=" + HMAC + "ab"), "a longer signature");
    }

    @Test
    void genericChecksXStackwardenSignatureWithSha256Prefix() {
        GenericHook generic = new GenericHook();
        assertEquals("X-Stackwarden-Signature", generic.signatureHeader());
        assertTrue(generic.verifies(SECRET, PAYLOAD, "sha256=" + HMAC));
        assertFalse(generic.verifies(SECRET, PAYLOAD, "sha256=" + OTHER_HMAC));
        assertFalse(generic.verifies(SECRET, PAYLOAD, HMAC));
    }

    @Test
    void gitLabComparesTheTokenItselfWhateverTheBody() {
        GitLabHook gitlab = new GitLabHook();
        byte[] token = "gl-webhook-token".getBytes(StandardCharsets.UTF_8);
        assertEquals("X-Gitlab-Token", gitlab.signatureHeader());
        assertTrue(gitlab.verifies(token, PAYLOAD, "gl-webhook-token"));
        assertTrue(gitlab.verifies(token, "another body".getBytes(StandardCharsets.UTF_8), "gl-webhook-token"));
        assertFalse(gitlab.verifies(token, PAYLOAD, "gl-webhook-toke"));
        assertFalse(gitlab.verifies(token, PAYLOAD, "gl-webhook-token-longer"));
        assertFalse(gitlab.verifies(token, PAYLOAD, ""));
    }

    @Test
    void eventHeadersNameThePushAndGitHubsPing() {
        assertEquals(WebhookProvider.Event.PUSH, new GitHubHook().event("push"));
        assertEquals(WebhookProvider.Event.PING, new GitHubHook().event("ping"));
        assertEquals(WebhookProvider.Event.OTHER, new GitHubHook().event("pull_request"));
        assertEquals(WebhookProvider.Event.PUSH, new GitLabHook().event("Push Hook"));
        assertEquals(WebhookProvider.Event.OTHER, new GitLabHook().event("Tag Push Hook"));
        assertEquals(WebhookProvider.Event.OTHER, new GitLabHook().event("Merge Request Hook"));
        assertEquals(WebhookProvider.Event.PUSH, new GiteaHook().event("push"));
        assertEquals(WebhookProvider.Event.OTHER, new GiteaHook().event("create"));
        assertEquals(WebhookProvider.Event.PUSH, new BitbucketHook().event("repo:push"));
        assertEquals(WebhookProvider.Event.OTHER, new BitbucketHook().event("pullrequest:created"));
        assertEquals(Optional.of("X-GitHub-Event"), new GitHubHook().eventHeader());
        assertEquals(Optional.of("X-Gitlab-Event"), new GitLabHook().eventHeader());
        assertEquals(Optional.of("X-Gitea-Event"), new GiteaHook().eventHeader());
        assertEquals(Optional.of("X-Event-Key"), new BitbucketHook().eventHeader());
        assertEquals(Optional.empty(), new GenericHook().eventHeader());
    }

    @Test
    void gitHubStylePushNamesItsRefAndNewCommit() throws Exception {
        JsonNode push = payload("{\"ref\":\"refs/heads/main\",\"before\":\"0000\",\"after\":\"9f3c2a1b7d\"}");
        List<PushedRef> expected = List.of(new PushedRef(Optional.of("refs/heads/main"), "9f3c2a1b7d"));
        assertEquals(expected, new GitHubHook().pushedRefs(push));
        assertEquals(expected, new GiteaHook().pushedRefs(push));
        assertEquals(expected, new GitLabHook().pushedRefs(push));
        assertEquals(expected, new GenericHook().pushedRefs(push));
    }

    @Test
    void aPushWithoutRefIsInvalidExceptForTheGenericHook() throws Exception {
        JsonNode noRef = payload("{\"after\":\"9f3c2a1b7d\"}");
        for (WebhookProvider provider : List.of(new GitHubHook(), new GiteaHook(), new GitLabHook())) {
            InvalidPayload e = assertThrows(InvalidPayload.class, () -> provider.pushedRefs(noRef));
            assertTrue(e.getMessage().contains("\"ref\""), e.getMessage());
        }
        assertEquals(List.of(new PushedRef(Optional.empty(), "9f3c2a1b7d")), new GenericHook().pushedRefs(noRef));
        assertEquals(List.of(new PushedRef(Optional.empty(), "")), new GenericHook().pushedRefs(payload("{}")));
        assertThrows(InvalidPayload.class, () -> new GitHubHook().pushedRefs(payload("{\"ref\":42}")));
    }

    @Test
    void bitbucketPushNamesEveryChangedBranchOrTag() throws Exception {
        JsonNode push = payload("""
                {"push": {"changes": [
                  {"new": {"type": "branch", "name": "main", "target": {"hash": "1a2b3c4d5e6f"}}, "old": null},
                  {"new": {"type": "tag", "name": "v1.2", "target": {"hash": "abcdef0123"}}},
                  {"new": null, "old": {"type": "branch", "name": "gone", "target": {"hash": "77aa"}}}
                ]}}""");
        assertEquals(List.of(
                new PushedRef(Optional.of("refs/heads/main"), "1a2b3c4d5e6f"),
                new PushedRef(Optional.of("refs/tags/v1.2"), "abcdef0123"),
                new PushedRef(Optional.of("refs/heads/gone"), "")), new BitbucketHook().pushedRefs(push));
    }

    @Test
    void bitbucketPushWithoutChangesOrRefNamesIsInvalid() throws Exception {
        assertThrows(InvalidPayload.class, () -> new BitbucketHook().pushedRefs(payload("{\"ref\":\"refs/heads/main\"}")));
        assertThrows(InvalidPayload.class, () -> new BitbucketHook().pushedRefs(
                payload("{\"push\":{\"changes\":[{\"new\":{\"type\":\"branch\"}}]}}")));
        assertEquals(List.of(), new BitbucketHook().pushedRefs(payload("{\"push\":{\"changes\":[]}}")));
    }
}
