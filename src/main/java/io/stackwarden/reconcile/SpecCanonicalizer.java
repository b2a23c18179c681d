package io.stackwarden.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Brings a desired spec and the engine's copy of it to one form, so that equal means "no write
 * needed". The engine fills in defaults the request did not carry and Go drops empty values;
 * both are removed here, along with the revision label, which changes on every commit without
 * changing the object.
 */
public final class SpecCanonicalizer {

    /** Values the engine writes into a stored service spec when the request left them out. */
    private static final List<Map.Entry<String, String>> SERVICE_DEFAULTS = List.of(
            Map.entry("/TaskTemplate/ContainerSpec/Isolation", "default"),
            Map.entry("/TaskTemplate/Runtime", "container"),
            Map.entry("/EndpointSpec/Mode", "vip"));

    private SpecCanonicalizer() {
    }

    /** What the engine reports for an update or rollback config the request left out or left partly empty. */
    private static final Map<String, JsonNode> UPDATE_DEFAULTS = Map.of(
            "Parallelism", JsonNodeFactory.instance.numberNode(1L),
            "FailureAction", JsonNodeFactory.instance.textNode("pause"),
            "Monitor", JsonNodeFactory.instance.numberNode(5_000_000_000L),
            "Order", JsonNodeFactory.instance.textNode("stop-first"));

    public static ObjectNode service(JsonNode spec) {
        ObjectNode copy = spec.deepCopy();
        for (Map.Entry<String, String> entry : SERVICE_DEFAULTS) {
            removeIfEquals(copy, entry.getKey(), entry.getValue());
        }
        for (String field : List.of("UpdateConfig", "RollbackConfig")) {
            withUpdateDefaults(copy, field);
        }
        removeLabel(copy, "/Labels");
        return (ObjectNode) prune(copy);
    }

    /** Configs and secrets: only labels and data can differ; the engine never returns secret data. */
    public static ObjectNode data(JsonNode spec) {
        ObjectNode copy = spec.deepCopy();
        removeLabel(copy, "/Labels");
        return (ObjectNode) prune(copy);
    }

    /** The engine fills an absent update config whole, and absent fields of a given one, with its defaults. */
    private static void withUpdateDefaults(ObjectNode spec, String field) {
        JsonNode config = spec.get(field);
        if (config == null || config.isNull()) {
            ObjectNode defaults = spec.putObject(field);
            UPDATE_DEFAULTS.forEach(defaults::set);
            return;
        }
        if (config instanceof ObjectNode object) {
            UPDATE_DEFAULTS.forEach((name, value) -> {
                if (!name.equals("Parallelism") && (!object.hasNonNull(name) || object.get(name).asText().isEmpty()
                        || (value.isNumber() && object.get(name).asLong() == 0))) {
                    object.set(name, value);
                }
            });
        }
    }

    private static void removeLabel(ObjectNode spec, String labelsPointer) {
        JsonNode labels = spec.at(labelsPointer);
        if (labels instanceof ObjectNode object) {
            object.remove(Ownership.REVISION);
        }
    }

    private static void removeIfEquals(ObjectNode root, String pointer, String value) {
        int slash = pointer.lastIndexOf('/');
        JsonNode parent = slash == 0 ? root : root.at(pointer.substring(0, slash));
        String field = pointer.substring(slash + 1);
        if (parent instanceof ObjectNode object && value.equals(object.path(field).asText(null))) {
            object.remove(field);
        }
    }

    /** Drops what Go's omitempty drops: null, "", 0, false, empty objects and arrays. */
    static JsonNode prune(JsonNode node) {
        if (node.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            names.sort(String::compareTo);
            for (String name : names) {
                JsonNode value = prune(node.get(name));
                if (!empty(value)) {
                    out.set(name, value);
                }
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            node.forEach(item -> out.add(prune(item)));
            return out;
        }
        // Integral numbers compare by value: 1 parsed from the engine equals 1L built by the converter.
        return node.isIntegralNumber() ? JsonNodeFactory.instance.numberNode(node.asLong()) : node;
    }

    private static boolean empty(JsonNode value) {
        return value == null || value.isNull()
                || (value.isTextual() && value.asText().isEmpty())
                || (value.isNumber() && value.asDouble() == 0)
                || (value.isBoolean() && !value.asBoolean())
                || (value.isContainerNode() && value.isEmpty());
    }
}
