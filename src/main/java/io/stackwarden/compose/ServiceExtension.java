package io.stackwarden.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Stackwarden's own settings of one service, from its {@code x-stackwarden} key in the compose file. The key is an
 * extension, so the CLI and the converted service spec ignore it: it changes what Stackwarden does around the
 * service, never the spec. Unknown keys are errors, so a typo never silently leaves a setting off.
 *
 * <pre>
 * services:
 *   web:
 *     x-stackwarden: {rebalance: true}
 * </pre>
 *
 * @param rebalance whether the service is spread again over its nodes when a node returns; empty: the stack's setting
 */
public record ServiceExtension(Optional<Boolean> rebalance) {

    public static final String KEY = "x-stackwarden";
    public static final ServiceExtension NONE = new ServiceExtension(Optional.empty());
    private static final Set<String> KEYS = Set.of("rebalance");

    /**
     * Reads the extension of every service of one (interpolated) file over those of the files before it: a later
     * file's key replaces an earlier one's, as the files' other keys do.
     */
    static void read(ObjectNode root, SourceMap lines, Map<String, ServiceExtension> into) throws ComposeException {
        if (!(root.get("services") instanceof ObjectNode services)) {
            return;
        }
        for (Map.Entry<String, JsonNode> service : (Iterable<Map.Entry<String, JsonNode>>) services::fields) {
            JsonNode extension = service.getValue().get(KEY);
            if (extension == null) {
                continue;
            }
            List<String> at = List.of("services", service.getKey(), KEY);
            if (!(extension instanceof ObjectNode fields)) {
                throw lines.error(at, SourceMap.dotted(at) + " must be a mapping");
            }
            for (String key : (Iterable<String>) fields::fieldNames) {
                if (!KEYS.contains(key)) {
                    throw lines.error(at, SourceMap.dotted(at) + ": unknown key \"" + key + "\" (allowed: "
                            + new TreeSet<>(KEYS) + ")");
                }
            }
            ServiceExtension before = into.getOrDefault(service.getKey(), NONE);
            Optional<Boolean> rebalance = before.rebalance();
            JsonNode value = fields.get("rebalance");
            if (value != null) {
                if (!value.isBoolean()) {
                    throw lines.error(at, SourceMap.dotted(at) + ".rebalance must be true or false");
                }
                rebalance = Optional.of(value.booleanValue());
            }
            into.put(service.getKey(), new ServiceExtension(rebalance));
        }
    }
}
