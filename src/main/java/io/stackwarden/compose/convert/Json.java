package io.stackwarden.compose.convert;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Collection;
import java.util.Map;

/**
 * Builds Engine API JSON the way Go's encoding/json writes the CLI's structs. Fields tagged
 * {@code omitempty} are only put when non-empty ({@code putIf...}); nil pointers, maps and slices
 * (which Go writes as {@code null}) are left out, which the engine reads the same way.
 */
final class Json {

    private static final JsonNodeFactory FACTORY = JsonNodeFactory.instance;

    private Json() {
    }

    static ObjectNode object() {
        return FACTORY.objectNode();
    }

    static ArrayNode array() {
        return FACTORY.arrayNode();
    }

    static ArrayNode strings(Collection<String> values) {
        ArrayNode array = array();
        values.forEach(array::add);
        return array;
    }

    static ObjectNode stringMap(Map<String, String> values) {
        ObjectNode node = object();
        values.forEach(node::put);
        return node;
    }

    static void putIfNotEmpty(ObjectNode target, String field, String value) {
        if (value != null && !value.isEmpty()) {
            target.put(field, value);
        }
    }

    static void putIfNotEmpty(ObjectNode target, String field, Collection<String> values) {
        if (values != null && !values.isEmpty()) {
            target.set(field, strings(values));
        }
    }

    static void putIfNotEmpty(ObjectNode target, String field, Map<String, String> values) {
        if (values != null && !values.isEmpty()) {
            target.set(field, stringMap(values));
        }
    }

    static void putIfNotZero(ObjectNode target, String field, Long value) {
        if (value != null && value != 0) {
            target.put(field, value.longValue());
        }
    }

    static void putIfTrue(ObjectNode target, String field, boolean value) {
        if (value) {
            target.put(field, true);
        }
    }

    /** A Go pointer field: written whenever set, even when zero. */
    static void putIfSet(ObjectNode target, String field, Long value) {
        if (value != null) {
            target.put(field, value.longValue());
        }
    }
}
