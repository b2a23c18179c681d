package io.stackwarden.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The value helpers every section of {@link ModelTransform} shares: lists-or-maps normalised, scalars
 * printed the Go way, and zero values left out where Go's {@code omitempty} leaves them out. One copy
 * here, so that every section writes a field the same way.
 */
final class GoValues {

    static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private GoValues() {
    }

    /** A list-or-mapping as a map: "k=v" items split at the first '='; valueless items null or "". */
    static ObjectNode mapping(JsonNode v, boolean allowNull) {
        ObjectNode out = JSON.objectNode();
        if (v == null || v.isNull()) {
            return out;
        }
        Map<String, String> m = new TreeMap<>();
        Map<String, Boolean> keys = new TreeMap<>();
        if (v.isArray()) {
            for (JsonNode item : v) {
                String s = item.asText();
                int eq = s.indexOf('=');
                String k = eq < 0 ? s : s.substring(0, eq);
                m.put(k, eq < 0 ? (allowNull ? null : "") : s.substring(eq + 1));
                keys.put(k, true);
            }
        } else {
            for (Map.Entry<String, JsonNode> e : sorted(v)) {
                JsonNode val = e.getValue();
                m.put(e.getKey(), val.isNull() ? (allowNull ? null : "") : GoText.sprint(val));
                keys.put(e.getKey(), true);
            }
        }
        keys.keySet().forEach(k -> {
            if (m.get(k) == null) {
                out.putNull(k);
            } else {
                out.put(k, m.get(k));
            }
        });
        return out;
    }

    static ObjectNode stringMap(JsonNode v) {
        ObjectNode out = JSON.objectNode();
        if (v != null && v.isObject()) {
            for (Map.Entry<String, JsonNode> e : sorted(v)) {
                out.put(e.getKey(), e.getValue().isNull() ? "" : GoText.sprint(e.getValue()));
            }
        }
        return out;
    }

    static JsonNode stringList(JsonNode v) {
        if (v != null && v.isTextual()) {
            return JSON.arrayNode().add(v.textValue());
        }
        return v;
    }

    static List<String> texts(JsonNode v) {
        List<String> out = new ArrayList<>();
        v.forEach(x -> out.add(x.asText()));
        return out;
    }

    static void strings(ObjectNode o, String key, JsonNode v) {
        if (v != null && v.isArray() && !v.isEmpty()) {
            ArrayNode a = o.putArray(key);
            v.forEach(x -> a.add(x.isTextual() ? x.textValue() : GoText.sprint(x)));
        }
    }

    static void text(ObjectNode o, String key, JsonNode v) {
        if (v != null && !v.isNull() && !v.asText().isEmpty()) {
            o.put(key, v.isTextual() ? v.textValue() : GoText.sprint(v));
        }
    }

    static void flag(ObjectNode o, String key, JsonNode v) {
        if (v != null && v.isBoolean() && v.booleanValue()) {
            o.put(key, true);
        }
    }

    static void putNonEmpty(ObjectNode o, String key, JsonNode v) {
        if (v != null && v.size() > 0) {
            o.set(key, v);
        }
    }

    /** Only the keys in {@code order}, in that order. */
    static ObjectNode reorder(ObjectNode v, List<String> order) {
        ObjectNode out = JSON.objectNode();
        order.forEach(k -> {
            if (v.has(k)) {
                out.set(k, v.get(k));
            }
        });
        return out;
    }

    static ObjectNode section(ObjectNode root, String key) {
        return root.get(key) instanceof ObjectNode o ? o : JSON.objectNode();
    }

    static List<Map.Entry<String, JsonNode>> sorted(JsonNode v) {
        Map<String, JsonNode> m = new TreeMap<>();
        v.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue()));
        return new ArrayList<>(m.entrySet());
    }

    static List<String> path(String... parts) {
        return List.of(parts);
    }

    static List<String> child(List<String> at, String... more) {
        List<String> p = new ArrayList<>(at);
        p.addAll(List.of(more));
        return p;
    }
}
