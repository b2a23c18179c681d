package io.stackwarden.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwarden.swarm.SwarmObject;

import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Services refer to networks by ID, and to secrets and configs by ID as well as by name. The IDs exist only
 * once the objects do, so they are filled in after networks, secrets and configs were written, as the CLI
 * (secrets, configs) and the engine (network names it resolves and stores as IDs) do.
 */
final class ObjectReferences {

    private ObjectReferences() {
    }

    /** A copy of {@code spec} with every secret and config reference carrying the ID {@code ids} knows. */
    static ObjectNode withIds(ObjectNode spec, BiFunction<SwarmObject.Kind, String, Optional<String>> ids) {
        ObjectNode copy = spec.deepCopy();
        JsonNode container = copy.at("/TaskTemplate/ContainerSpec");
        fill(container.path("Secrets"), "SecretName", "SecretID", SwarmObject.Kind.SECRET, ids);
        fill(container.path("Configs"), "ConfigName", "ConfigID", SwarmObject.Kind.CONFIG, ids);
        // The engine resolves network names to IDs and stores the IDs: send IDs, so the specs compare equal.
        for (JsonNode attachments : java.util.List.of(copy.at("/TaskTemplate/Networks"), copy.path("Networks"))) {
            for (JsonNode attachment : attachments) {
                if (attachment instanceof ObjectNode object && object.hasNonNull("Target")) {
                    ids.apply(SwarmObject.Kind.NETWORK, object.get("Target").asText())
                            .ifPresent(id -> object.put("Target", id));
                }
            }
        }
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
