package io.stackwarden.api.webhook;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Bitbucket Cloud: {@code X-Hub-Signature: sha256=<hex HMAC-SHA256 of the body>} (SHA-256 despite the
 * header GitHub uses for SHA-1), {@code X-Event-Key: repo:push}. One push may move several refs: each
 * of {@code push.changes[]} names the ref after the push in {@code new} ({@code type} branch or tag,
 * {@code name}, {@code target.hash}), or before it in {@code old} when the ref was deleted.
 */
public final class BitbucketHook implements WebhookProvider {

    @Override
    public String name() {
        return "bitbucket";
    }

    @Override
    public String signatureHeader() {
        return "X-Hub-Signature";
    }

    @Override
    public boolean verifies(byte[] secret, byte[] body, String signature) {
        return WebhookProvider.verifiesPrefixedHmacSha256(secret, body, signature);
    }

    @Override
    public Optional<String> eventHeader() {
        return Optional.of("X-Event-Key");
    }

    @Override
    public Event event(String event) {
        return "repo:push".equals(event) ? Event.PUSH : Event.OTHER;
    }

    @Override
    public List<PushedRef> pushedRefs(JsonNode payload) throws InvalidPayload {
        JsonNode changes = payload.path("push").path("changes");
        if (!changes.isArray()) {
            throw new InvalidPayload("the push payload has no \"push.changes\" list");
        }
        List<PushedRef> refs = new ArrayList<>();
        for (JsonNode change : changes) {
            JsonNode state = change.path("new").isObject() ? change.path("new") : change.path("old");
            String type = state.path("type").asText("");
            String name = state.path("name").asText("");
            if (type.isEmpty() || name.isEmpty()) {
                throw new InvalidPayload("a push change names no ref (\"new\" or \"old\" with \"type\" and \"name\")");
            }
            String prefix = switch (type) {
                case "branch" -> "refs/heads/";
                case "tag", "annotated_tag" -> "refs/tags/";
                default -> "refs/" + type + "/";
            };
            String commit = change.path("new").path("target").path("hash").asText("");
            refs.add(new PushedRef(Optional.of(prefix + name), commit));
        }
        return refs;
    }
}
