package io.stackwarden.compose;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;

/**
 * A loaded stack: {@code config} has exactly the JSON shape docker/cli's {@code types.Config} marshals to,
 * {@code warnings} what {@code docker stack deploy} would print while loading (ignored options, deprecations),
 * {@code extensions} the {@code x-stackwarden} key of each service that has one, by service name (not part of
 * {@code config}: the CLI's model drops a service's extension keys too).
 */
public record LoadedStack(String name, ObjectNode config, List<String> warnings, Map<String, ServiceExtension> extensions) {

    public LoadedStack {
        warnings = List.copyOf(warnings);
        extensions = Map.copyOf(extensions);
    }
}
