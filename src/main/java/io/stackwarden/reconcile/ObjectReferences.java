package io.stackwarden.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwarden.swarm.SwarmObject;

import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Services refer to networks by ID, and to secrets and configs by ID as well as by name. The IDs exist only once the
 * objects do, so they are filled in after secrets and configs were written, as the CLI does.
 */
final class ObjectReferences {

    private ObjectReferences() {
    }

    /** A copy of {@code spec} with every secret and config reference carrying the ID {@code ids} knows. */
    static ObjectNode withIds(ObjectNode spec, BiFunction<SwarmObject.Kind, String, Optional<String>> ids) {
        ObjectNode copy = spec.deepCopy();
        // The engine stores network attachments by ID, whatever the request named them by.
        for (JsonNode attachment : copy.at("/TaskTemplate/Networks")) {
            if (attachment instanceof ObjectNode object && object.hasNonNull("Target")) {
                ids.apply(SwarmObject.Kind.NETWORK, object.get("Target").asText()).ifPresent(id -> object.put("Target", id));
            }
        }
        JsonNode container = copy.at("/TaskTemplate/ContainerSpec");
        fill(container.path("Secrets"), "SecretName", "SecretID", SwarmObject.Kind.SECRET, ids);
        fill(container.path("Configs"), "ConfigName", "ConfigID", SwarmObject.Kind.CONFIG, ids);
        JsonNode credentialSpec = container.at("/Privileges/CredentialSpec");
        if (credentialSpec instanceof ObjectNode object && object.hasNonNull("Config")) {
            // The converter names the config; the engine wants its ID.
            ids.apply(SwarmObject.Kind.CONFIG, object.get("Config").asText()).ifPresent(id -> object.put("Config", id));
        }
        return copy;
    }

    private static void fill(JsonNode references, String nameField, String idField, SwarmObject.Kind kind,
                             BiFunction<SwarmObject.Kind, String, Optional<String>> ids) {
        for (JsonNode reference : references) {
            if (reference instanceof ObjectNode object && object.hasNonNull(nameField)) {
                ids.apply(kind, object.get(nameField).asText()).ifPresent(id -> object.put(idField, id));
            }
        }
    }
}
