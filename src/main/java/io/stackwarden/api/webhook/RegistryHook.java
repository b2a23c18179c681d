package io.stackwarden.api.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.stackwarden.compose.engine.ImageReference;
import io.stackwarden.support.ConstantTime;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An image registry's notifications, in the format of distribution (the registry behind most others): an
 * envelope {@code {"events": [...]}} whose push events name {@code target.repository}, {@code target.tag} and the
 * registry as the pusher addressed it ({@code request.host}). Such a registry sends fixed headers only, so the
 * secret comes as a token, {@code Authorization: Bearer <secret>} (its {@code notifications.endpoints[].headers}),
 * compared in constant time as GitLab's is.
 */
public final class RegistryHook implements WebhookProvider {

    private static final String BEARER = "Bearer ";

    @Override
    public String name() {
        return "registry";
    }

    @Override
    public String signatureHeader() {
        return "Authorization";
    }

    @Override
    public boolean verifies(byte[] secret, byte[] body, String signature) {
        return signature.startsWith(BEARER) && ConstantTime.sameSecret(secret,
                signature.substring(BEARER.length()).strip().getBytes(StandardCharsets.UTF_8));
    }

    /** Not a Git push: a registry names images, see {@link #pushedImages}. */
    @Override
    public List<PushedRef> pushedRefs(JsonNode payload) {
        return List.of();
    }

    /** The tags pushed, as references in engine form ({@code host:port/repo:tag}); pulls, deletes and blobs are left out. */
    public List<String> pushedImages(JsonNode payload) throws InvalidPayload {
        JsonNode events = payload.path("events");
        if (!events.isArray()) {
            throw new InvalidPayload("the notification has no \"events\" list");
        }
        List<String> references = new ArrayList<>();
        for (JsonNode event : events) {
            JsonNode target = event.path("target");
            String repository = target.path("repository").asText("");
            String tag = target.path("tag").asText("");
            if (!"push".equals(event.path("action").asText()) || repository.isEmpty() || tag.isEmpty()) {
                continue;
            }
            String host = event.path("request").path("host").asText("");
            if (host.isEmpty()) {
                host = hostOf(target.path("url").asText(""));
            }
            String reference = (host.isEmpty() ? "" : host + "/") + repository + ":" + tag;
            if (ImageReference.problem(reference) != null) {
                throw new InvalidPayload("the event names no valid image: " + ImageReference.problem(reference));
            }
            String engineForm = ImageReference.engineForm(reference);
            if (!references.contains(engineForm)) {
                references.add(engineForm);
            }
        }
        return references;
    }

    private static String hostOf(String url) {
        try {
            URI uri = URI.create(url);
            return uri.getHost() == null ? "" : uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
