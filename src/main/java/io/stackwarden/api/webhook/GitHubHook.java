package io.stackwarden.api.webhook;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Optional;

/** GitHub: {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>}, {@code X-GitHub-Event: push|ping}. */
public final class GitHubHook implements WebhookProvider {

    @Override
    public String name() {
        return "github";
    }

    @Override
    public String signatureHeader() {
        return "X-Hub-Signature-256";
    }

    @Override
    public boolean verifies(byte[] secret, byte[] body, String signature) {
        return WebhookProvider.verifiesPrefixedHmacSha256(secret, body, signature);
    }

    @Override
    public Optional<String> eventHeader() {
        return Optional.of("X-GitHub-Event");
    }

    @Override
    public Event event(String event) {
        return switch (event) {
            case "push" -> Event.PUSH;
            case "ping" -> Event.PING;
            default -> Event.OTHER;
        };
    }

    @Override
    public List<PushedRef> pushedRefs(JsonNode payload) throws InvalidPayload {
        return WebhookProvider.refAndAfter(payload, true);
    }
}
