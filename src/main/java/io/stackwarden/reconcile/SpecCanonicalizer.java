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
        mode(copy);
        restartPolicy(copy);
        ports(copy);
        mounts(copy);
        for (String field : List.of("UpdateConfig", "RollbackConfig")) {
            withUpdateDefaults(copy, field);
        }
        removeLabel(copy, "/Labels");
        return (ObjectNode) prune(copy);
    }

    /**
     * The engine stores a replicated service without a replica count (or without any mode, as docker stack
     * deploy sends it when {@code deploy.replicas} is unset) with one replica. A mode that is an empty object
     * (global) is marked, so pruning empty values cannot turn it into "no mode".
     */
    private static void mode(ObjectNode spec) {
        JsonNode mode = spec.path("Mode");
        if (!(mode instanceof ObjectNode object) || object.isEmpty()) {
            spec.putObject("Mode").putObject("Replicated").put("Replicas", 1);
            return;
        }
        if (object.get("Replicated") instanceof ObjectNode replicated && replicated.path("Replicas").isMissingNode()
                || object.path("Replicated").isNull()) {
            object.putObject("Replicated").put("Replicas", 1);
            return;
        }
        if (object.get("ReplicatedJob") instanceof ObjectNode job) {
            // A job without replicas (docker stack deploy sends both counts unset) runs one task at a time, once.
            for (String count : List.of("MaxConcurrent", "TotalCompletions")) {
                if (!job.hasNonNull(count)) {
                    job.put(count, 1);
                }
            }
        }
        for (String kind : List.of("Global", "ReplicatedJob", "GlobalJob")) {
            if (object.has(kind)) {
                ((ObjectNode) (object.get(kind) instanceof ObjectNode o ? o : object.putObject(kind))).put("Mode", kind);
            }
        }
    }

    /**
     * A restart policy that is sent without a condition ({@code restart_policy: {}}, or only a delay or a
     * maximum of attempts) is stored with the condition {@code any}; an absent policy stays absent.
     */
    private static void restartPolicy(ObjectNode spec) {
        if (spec.at("/TaskTemplate/RestartPolicy") instanceof ObjectNode policy
                && policy.path("Condition").asText("").isEmpty()) {
            policy.put("Condition", "any");
        }
    }

    /**
     * A mount's {@code Consistency} is sent as the CLI sends it, but swarm does not store it: the engine's copy
     * never has it, so it cannot be compared.
     */
    private static void mounts(ObjectNode spec) {
        for (JsonNode mount : spec.at("/TaskTemplate/ContainerSpec/Mounts")) {
            if (mount instanceof ObjectNode object) {
                object.remove("Consistency");
            }
        }
    }

    /** The engine stores a published port without protocol as tcp, and without publish mode as ingress. */
    private static void ports(ObjectNode spec) {
        for (JsonNode port : spec.at("/EndpointSpec/Ports")) {
            if (port instanceof ObjectNode object) {
                if (object.path("Protocol").asText("").isEmpty()) {
                    object.put("Protocol", "tcp");
                }
                if (object.path("PublishMode").asText("").isEmpty()) {
                    object.put("PublishMode", "ingress");
                }
            }
        }
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

    /**
     * Drops what Go's omitempty drops: null, "", 0, false, empty objects and arrays. Numbers get one type
     * per kind (int or long when integral, double otherwise): a converted {@code 0444} held as a long must
     * equal the engine's answer parsed as an int.
     */
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
        if (node.isIntegralNumber()) {
            return node.canConvertToInt() ? JsonNodeFactory.instance.numberNode(node.intValue())
                    : node.canConvertToLong() ? JsonNodeFactory.instance.numberNode(node.longValue()) : node;
        }
        if (node.isFloatingPointNumber()) {
            // Every fraction in a swarm spec is a Go float32 (MaxFailureRatio): the engine prints 0.2 where the
            // float sent widens to 0.20000000298..., so both are compared at float32 precision.
            return JsonNodeFactory.instance.numberNode(Double.parseDouble(Float.toString(node.floatValue())));
        }
        return node;
    }

    private static boolean empty(JsonNode value) {
        return value == null || value.isNull()
                || (value.isTextual() && value.asText().isEmpty())
                || (value.isNumber() && value.asDouble() == 0)
                || (value.isBoolean() && !value.asBoolean())
                || (value.isContainerNode() && value.isEmpty());
    }
}
