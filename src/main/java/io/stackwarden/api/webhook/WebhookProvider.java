package io.stackwarden.api.webhook;

import io.stackwarden.support.ConstantTime;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * What one Git host sends: how it signs a delivery, how it names the event, and where a push payload
 * says which refs moved. Header lookups are case-insensitive ({@code headers} comes from the request).
 */
public interface WebhookProvider {

    /** The kind of a delivery, as far as a push webhook cares. */
    enum Event { PUSH, PING, OTHER }

    /** Every provider, in the order the docs list them. */
    List<WebhookProvider> ALL = List.of(new GitHubHook(), new GitLabHook(), new GiteaHook(), new BitbucketHook(),
            new GenericHook(), new RegistryHook());

    /** The provider behind {@code /api/v1/webhooks/{name}}. */
    static Optional<WebhookProvider> named(String name) {
        return ALL.stream().filter(provider -> provider.name().equals(name)).findFirst();
    }

    /** Path segment, metric tag and log name: {@code github}, {@code gitlab}, ... */
    String name();

    /** The header that carries the signature or token. */
    String signatureHeader();

    /** Whether {@code signature} (the header's value) proves that the sender of {@code body} holds {@code secret}. */
    boolean verifies(byte[] secret, byte[] body, String signature);

    /** The {@code sha256=<hex HMAC of the body>} signature that GitHub, Bitbucket and the generic hook send. */
    static boolean verifiesPrefixedHmacSha256(byte[] secret, byte[] body, String signature) {
        return signature.startsWith("sha256=") && ConstantTime.sameHmacSha256(secret, body, signature.substring(7));
    }

    /** The header that names the event; empty when the provider has none (every delivery is a push). */
    default Optional<String> eventHeader() {
        return Optional.empty();
    }

    /** The kind of the event named {@code event} (the event header's value); asked only when there is such a header. */
    default Event event(String event) {
        return Event.PUSH;
    }

    /** The refs a push moved; {@link InvalidPayload} when the payload is not a push of this provider. */
    List<PushedRef> pushedRefs(JsonNode payload) throws InvalidPayload;

    /** {@code ref} ({@code refs/heads/main}) and {@code after} (the new commit) of a GitHub-style push payload. */
    static List<PushedRef> refAndAfter(JsonNode payload, boolean refRequired) throws InvalidPayload {
        JsonNode ref = payload.path("ref");
        if (ref.isMissingNode() || ref.isNull()) {
            if (refRequired) {
                throw new InvalidPayload("the push payload has no \"ref\"");
            }
            return List.of(new PushedRef(Optional.empty(), payload.path("after").asText("")));
        }
        if (!ref.isTextual()) {
            throw new InvalidPayload("\"ref\" is not a string");
        }
        return List.of(new PushedRef(Optional.of(ref.asText()), payload.path("after").asText("")));
    }
}
