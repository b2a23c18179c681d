package io.stackwarden.api.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.stackwarden.support.ConstantTime;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * GitLab signs nothing: it sends the secret itself in {@code X-Gitlab-Token}, compared in constant time.
 * {@code X-Gitlab-Event: Push Hook} is a branch push; a tag push is a separate event ({@code Tag Push Hook}).
 */
public final class GitLabHook implements WebhookProvider {

    @Override
    public String name() {
        return "gitlab";
    }

    @Override
    public String signatureHeader() {
        return "X-Gitlab-Token";
    }

    @Override
    public boolean verifies(byte[] secret, byte[] body, String signature) {
        return !signature.isEmpty() && ConstantTime.sameSecret(secret, signature.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public Optional<String> eventHeader() {
        return Optional.of("X-Gitlab-Event");
    }

    @Override
    public Event event(String event) {
        return "Push Hook".equals(event) ? Event.PUSH : Event.OTHER;
    }

    @Override
    public List<PushedRef> pushedRefs(JsonNode payload) throws InvalidPayload {
        return WebhookProvider.refAndAfter(payload, true);
    }
}
