package io.stackwarden.compose.convert;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Typed, null-tolerant reads from the loaded model ({@code types.Config} JSON). An absent key and
 * an explicit {@code null} both read as "not set", which is what Go's zero values mean there.
 * A wrong JSON type is a {@link ConvertException} naming {@code where.key}.
 */
final class Fields {

    private Fields() {
    }

    static boolean has(JsonNode parent, String key) {
        return parent != null && parent.hasNonNull(key);
    }

    static JsonNode object(JsonNode parent, String key, String where) {
        if (!has(parent, key)) {
            return null;
        }
        JsonNode node = parent.get(key);
        if (!node.isObject()) {
            throw new ConvertException(where + key + ": expected a mapping, got " + node.getNodeType());
        }
        return node;
    }

    /** Scalar as text (numbers and booleans too, as the loader stringifies them); null if unset. */
    static String text(JsonNode parent, String key, String where) {
        if (!has(parent, key)) {
            return null;
        }
        JsonNode node = parent.get(key);
        if (!node.isValueNode()) {
            throw new ConvertException(where + key + ": expected a string, got " + node.getNodeType());
        }
        return node.asText();
    }

    static String textOr(JsonNode parent, String key, String where, String fallback) {
        String value = text(parent, key, where);
        return value == null ? fallback : value;
    }

    static boolean bool(JsonNode parent, String key, String where) {
        Boolean value = boolOrNull(parent, key, where);
        return value != null && value;
    }

    static Boolean boolOrNull(JsonNode parent, String key, String where) {
        if (!has(parent, key)) {
            return null;
        }
        JsonNode node = parent.get(key);
        if (!node.isBoolean()) {
            throw new ConvertException(where + key + ": expected a boolean, got " + node.getNodeType());
        }
        return node.booleanValue();
    }

    /** Integral number; null if unset. Numeric strings are accepted as the loader may keep them. */
    static Long integer(JsonNode parent, String key, String where) {
        if (!has(parent, key)) {
            return null;
        }
        JsonNode node = parent.get(key);
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (node.isTextual()) {
            try {
                return Long.parseLong(node.textValue().trim());
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
        }
        throw new ConvertException(where + key + ": expected an integer, got " + node);
    }

    static Long nonNegative(JsonNode parent, String key, String where) {
        Long value = integer(parent, key, where);
        if (value != null && value < 0) {
            throw new ConvertException(where + key + ": must not be negative, got " + value);
        }
        return value;
    }

    /** List of scalars; a single string reads as a one-element list (compose "string or list"). */
    static List<String> strings(JsonNode parent, String key, String where) {
        if (!has(parent, key)) {
            return null;
        }
        JsonNode node = parent.get(key);
        List<String> result = new ArrayList<>();
        if (node.isValueNode()) {
            result.add(node.asText());
            return result;
        }
        if (!node.isArray()) {
            throw new ConvertException(where + key + ": expected a list, got " + node.getNodeType());
        }
        for (JsonNode item : node) {
            if (!item.isValueNode() || item.isNull()) {
                throw new ConvertException(where + key + ": expected a list of strings, got " + item);
            }
            result.add(item.asText());
        }
        return result;
    }

    /** Mapping of scalars (null values read as ""), sorted by key; null if unset. */
    static Map<String, String> stringMap(JsonNode parent, String key, String where) {
        JsonNode node = object(parent, key, where);
        if (node == null) {
            return null;
        }
        Map<String, String> result = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            JsonNode value = entry.getValue();
            if (!value.isValueNode()) {
                throw new ConvertException(where + key + "." + entry.getKey() + ": expected a string, got "
                        + value.getNodeType());
            }
            result.put(entry.getKey(), value.isNull() ? "" : value.asText());
        }
        return result;
    }

    /** Names of a mapping's entries, sorted. */
    static List<String> keys(JsonNode mapping) {
        List<String> names = new ArrayList<>();
        if (mapping != null) {
            mapping.fieldNames().forEachRemaining(names::add);
        }
        names.sort(null);
        return names;
    }
}
