package io.stackwarden.compose.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One engine object to create: {@code key} is its name in the compose file, {@code name} the full
 * engine name (stack-scoped or the {@code name:} field), {@code spec} the Engine API JSON body.
 *
 * @param scoped true when {@code name} is the stack-scoped {@code <stack>_<key>}, false when the file
 *               gave the object its own name (which is then used exactly as written)
 */
public record StackObject(String key, String name, ObjectNode spec, boolean scoped) {
}
