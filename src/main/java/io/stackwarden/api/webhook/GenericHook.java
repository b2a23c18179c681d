package io.stackwarden.api.webhook;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * Any other sender (a CI job, a script): {@code X-Stackwarden-Signature: sha256=<hex HMAC-SHA256 of the
 * body>}. Every delivery is a push; {@code ref} and {@code after} are optional, and without {@code ref}
 * the push counts for whatever branch the source follows.
 */
public final class GenericHook implements WebhookProvider {

    @Override
    public String name() {
        return "generic";
    }

    @Override
    public String signatureHeader() {
        return "X-Stackwarden-Signature";
    }

    @Override
    public boolean verifies(byte[] secret, byte[] body, String signature) {
        return WebhookProvider.verifiesPrefixedHmacSha256(secret, body, signature);
    }

    @Override
    public List<PushedRef> pushedRefs(JsonNode payload) throws InvalidPayload {
        return WebhookProvider.refAndAfter(payload, false);
    }
}
