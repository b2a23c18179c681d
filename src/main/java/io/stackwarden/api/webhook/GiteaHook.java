package io.stackwarden.api.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.stackwarden.support.ConstantTime;

import java.util.List;
import java.util.Optional;

/**
 * Gitea (and Forgejo): {@code X-Gitea-Signature: <hex HMAC-SHA256 of the body>} without prefix,
 * {@code X-Gitea-Event: push}; the payload is GitHub-shaped.
 */
public final class GiteaHook implements WebhookProvider {

    @Override
    public String name() {
        return "gitea";
    }

    @Override
    public String signatureHeader() {
        return "X-Gitea-Signature";
    }

    @Override
    public boolean verifies(byte[] secret, byte[] body, String signature) {
        return ConstantTime.sameHmacSha256(secret, body, signature);
    }

    @Override
    public Optional<String> eventHeader() {
        return Optional.of("X-Gitea-Event");
    }

    @Override
    public Event event(String event) {
        return "push".equals(event) ? Event.PUSH : Event.OTHER;
    }

    @Override
    public List<PushedRef> pushedRefs(JsonNode payload) throws InvalidPayload {
        return WebhookProvider.refAndAfter(payload, true);
    }
}
