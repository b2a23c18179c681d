package io.stackwarden.compose.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The swarm parts of a service: {@code deploy.*} (mode, update/rollback config, resources,
 * placement, restart policy) and the legacy {@code restart:} key, which the CLI only reads when
 * {@code deploy.restart_policy} is absent.
 */
final class DeployConverter {

    private DeployConverter() {
    }

    static ObjectNode mode(JsonNode deploy, String where) {
        String mode = Fields.textOr(deploy, "mode", where, "");
        Long replicas = Fields.nonNegative(deploy, "replicas", where);
        ObjectNode result = Json.object();
        switch (mode) {
            case "replicated", "" -> {
                ObjectNode replicated = result.putObject("Replicated");
                Json.putIfSet(replicated, "Replicas", replicas);
            }
            case "global" -> {
                refuseReplicas(replicas, where);
                result.putObject("Global");
            }
            case "replicated-job" -> {
                // The CLI uses deploy.replicas for both fields; unset leaves the engine's default of 1.
                ObjectNode job = result.putObject("ReplicatedJob");
                Json.putIfSet(job, "MaxConcurrent", replicas);
                Json.putIfSet(job, "TotalCompletions", replicas);
            }
            case "global-job" -> {
                refuseReplicas(replicas, where);
                result.putObject("GlobalJob");
            }
            default -> throw new ConvertException(where + "mode: unknown mode \"" + mode
                    + "\" (replicated, global, replicated-job or global-job)");
        }
        return result;
    }

    private static void refuseReplicas(Long replicas, String where) {
        if (replicas != null) {
            throw new ConvertException(where + "replicas: can only be used with replicated or replicated-job mode");
        }
    }

    /** {@code deploy.update_config} / {@code rollback_config}; null when absent (engine defaults apply). */
    static ObjectNode updateConfig(JsonNode deploy, String key, String where) {
        JsonNode source = Fields.object(deploy, key, where);
        if (source == null) {
            return null;
        }
        String at = where + key + ".";
        ObjectNode result = Json.object();
        Long parallelism = Fields.nonNegative(source, "parallelism", at);
        // Unset parallelism means 1 in the CLI (the engine's own default would be "all at once").
        result.put("Parallelism", parallelism == null ? 1 : parallelism);
        Json.putIfNotZero(result, "Delay", Durations.nanos(source, "delay", at));
        Json.putIfNotEmpty(result, "FailureAction", Fields.text(source, "failure_action", at));
        Json.putIfNotZero(result, "Monitor", Durations.nanos(source, "monitor", at));
        float ratio = maxFailureRatio(source, at);
        // Go writes a whole float32 without a fraction ("0", "1"); keep the wire text the same.
        if (ratio == Math.rint(ratio)) {
            result.put("MaxFailureRatio", (long) ratio);
        } else {
            result.put("MaxFailureRatio", ratio);
        }
        result.put("Order", Fields.textOr(source, "order", at, ""));
        return result;
    }

    private static float maxFailureRatio(JsonNode source, String where) {
        if (!Fields.has(source, "max_failure_ratio")) {
            return 0f;
        }
        JsonNode node = source.get("max_failure_ratio");
        if (node.isNumber()) {
            return node.floatValue();
        }
        try {
            return Float.parseFloat(node.asText());
        } catch (NumberFormatException e) {
            throw new ConvertException(where + "max_failure_ratio: expected a number, got " + node);
        }
    }

    /**
     * {@code deploy.restart_policy} when present, else the legacy {@code restart:} value:
     * always/unless-stopped become condition "any", on-failure[:n] "on-failure" with max attempts n
     * (0 when not given, as CLI 28.2 sends it), "no" or nothing no policy at all.
     */
    static ObjectNode restartPolicy(JsonNode deploy, String restart, String where) {
        JsonNode source = Fields.object(deploy, "restart_policy", where + "deploy.");
        if (source != null) {
            String at = where + "deploy.restart_policy.";
            ObjectNode result = Json.object();
            Json.putIfNotEmpty(result, "Condition", Fields.text(source, "condition", at));
            Json.putIfSet(result, "Delay", Durations.nanos(source, "delay", at));
            Json.putIfSet(result, "MaxAttempts", Fields.nonNegative(source, "max_attempts", at));
            Json.putIfSet(result, "Window", Durations.nanos(source, "window", at));
            return result;
        }
        if (restart == null || restart.isEmpty()) {
            return null;
        }
        String name = restart;
        String count = "";
        int colon = restart.indexOf(':');
        if (colon >= 0) {
            name = restart.substring(0, colon);
            count = restart.substring(colon + 1);
            if (name.isEmpty()) {
                throw new ConvertException(where + "restart: invalid restart policy format: no policy provided before colon");
            }
        }
        long maxRetries = 0;
        if (!count.isEmpty()) {
            try {
                maxRetries = Integer.parseInt(count);
            } catch (NumberFormatException e) {
                throw new ConvertException(where + "restart: invalid restart policy format: maximum retry count must be an integer");
            }
        }
        return switch (name) {
            case "no" -> null;
            case "always", "unless-stopped" -> Json.object().put("Condition", "any");
            case "on-failure" -> {
                if (maxRetries < 0) {
                    // CLI 28.2 would wrap this around to 2^64-1; later versions refuse it.
                    throw new ConvertException(where + "restart: invalid restart policy: maximum retry count cannot be negative");
                }
                yield Json.object().put("Condition", "on-failure").put("MaxAttempts", maxRetries);
            }
            default -> throw new ConvertException(where + "restart: unknown restart policy: " + restart);
        };
    }

    /** {@code deploy.resources}; the CLI always sends the object, empty when nothing is set. */
    static ObjectNode resources(JsonNode deploy, String where) {
        String at = where + "deploy.resources.";
        JsonNode source = Fields.object(deploy, "resources", where + "deploy.");
        ObjectNode result = Json.object();
        JsonNode limits = Fields.object(source, "limits", at);
        if (limits != null) {
            String lat = at + "limits.";
            ObjectNode node = result.putObject("Limits");
            Json.putIfNotZero(node, "NanoCPUs", Quantities.nanoCpus(limits, "cpus", lat));
            Json.putIfNotZero(node, "MemoryBytes", Quantities.bytes(limits, "memory", lat));
            Json.putIfNotZero(node, "Pids", Fields.integer(limits, "pids", lat));
        }
        JsonNode reservations = Fields.object(source, "reservations", at);
        if (reservations != null) {
            String rat = at + "reservations.";
            ObjectNode node = result.putObject("Reservations");
            Json.putIfNotZero(node, "NanoCPUs", Quantities.nanoCpus(reservations, "cpus", rat));
            Json.putIfNotZero(node, "MemoryBytes", Quantities.bytes(reservations, "memory", rat));
            JsonNode generic = reservations.get("generic_resources");
            if (generic != null && generic.isArray() && !generic.isEmpty()) {
                ArrayNode list = node.putArray("GenericResources");
                for (JsonNode resource : generic) {
                    ObjectNode item = list.addObject();
                    JsonNode discrete = Fields.object(resource, "discrete_resource_spec", rat + "generic_resources.");
                    if (discrete != null) {
                        String dat = rat + "generic_resources.discrete_resource_spec.";
                        ObjectNode spec = item.putObject("DiscreteResourceSpec");
                        Json.putIfNotEmpty(spec, "Kind", Fields.text(discrete, "kind", dat));
                        Json.putIfNotZero(spec, "Value", Fields.integer(discrete, "value", dat));
                    }
                }
            }
        }
        return result;
    }

    /** {@code deploy.placement}; always sent by the CLI, empty when nothing is set. */
    static ObjectNode placement(JsonNode deploy, String where) {
        String at = where + "deploy.placement.";
        JsonNode source = Fields.object(deploy, "placement", where + "deploy.");
        ObjectNode result = Json.object();
        Json.putIfNotEmpty(result, "Constraints", Fields.strings(source, "constraints", at));
        JsonNode preferences = source == null ? null : source.get("preferences");
        if (preferences != null && preferences.isArray() && !preferences.isEmpty()) {
            ArrayNode list = result.putArray("Preferences");
            for (JsonNode preference : preferences) {
                list.addObject().putObject("Spread")
                        .put("SpreadDescriptor", Fields.textOr(preference, "spread", at + "preferences.", ""));
            }
        }
        Json.putIfNotZero(result, "MaxReplicas", Fields.nonNegative(source, "max_replicas_per_node", at));
        return result;
    }
}
