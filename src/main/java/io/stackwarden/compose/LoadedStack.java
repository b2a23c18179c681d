package io.stackwarden.compose;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * A loaded stack: {@code config} has exactly the JSON shape docker/cli's {@code types.Config} marshals to,
 * {@code warnings} what {@code docker stack deploy} would print while loading (ignored options, deprecations).
 */
public record LoadedStack(String name, ObjectNode config, List<String> warnings) {

    public LoadedStack {
        warnings = List.copyOf(warnings);
    }
}
