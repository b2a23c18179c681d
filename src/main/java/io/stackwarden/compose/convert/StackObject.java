package io.stackwarden.compose.convert;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One engine object to create: {@code key} is its name in the compose file, {@code name} the full
 * engine name (stack-scoped or the {@code name:} field), {@code spec} the Engine API JSON body.
 */
public record StackObject(String key, String name, ObjectNode spec) {
}
