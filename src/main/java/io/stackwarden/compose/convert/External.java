package io.stackwarden.compose.convert;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The {@code external:} field of a top-level network, volume, secret or config: {@code true}/{@code false}
 * or the deprecated {@code {name: ...}} form, whose name the loader normally moves to {@code name:}.
 */
record External(boolean external, String legacyName) {

    static External of(JsonNode declared, String where) {
        JsonNode node = declared == null ? null : declared.get("external");
        if (node == null || node.isNull()) {
            return new External(false, null);
        }
        if (node.isBoolean()) {
            return new External(node.booleanValue(), null);
        }
        if (node.isObject()) {
            return new External(true, Fields.text(node, "name", where + "external."));
        }
        throw new ConvertException(where + "external: expected a boolean, got " + node);
    }

    /** Whether the declared object names itself ({@code name:} or the legacy external name) instead of taking the scoped name. */
    static boolean ownName(JsonNode declared, String where) {
        String name = Fields.text(declared, "name", where);
        String legacy = of(declared, where).legacyName();
        return name != null && !name.isEmpty() || legacy != null && !legacy.isEmpty();
    }

    /** The engine name of a declared object: {@code name:}, else the legacy external name, else scoped. */
    static String engineName(JsonNode declared, String key, Namespace namespace, String where) {
        String name = Fields.text(declared, "name", where);
        if (name != null && !name.isEmpty()) {
            return name;
        }
        String legacy = of(declared, where).legacyName();
        return legacy != null && !legacy.isEmpty() ? legacy : namespace.scope(key);
    }
}
