package io.stackwarden.compose;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Which bind-mount sources a stack may use. By default any, as with the CLI: a bind source is a path on
 * the node. An operator who does not trust every author of the repository can allow only sources at or
 * below listed paths, or none at all (an empty list). Sources are compared after cleaning, so
 * {@code /srv/../etc} is not under {@code /srv}.
 *
 * @param allowed the permitted paths; {@code null} when any source is permitted
 */
public record BindPolicy(List<String> allowed) {

    public static final BindPolicy ANY = new BindPolicy(null);

    public BindPolicy {
        allowed = allowed == null ? null : allowed.stream().map(BindSource::clean).toList();
    }

    public static BindPolicy only(List<String> allowed) {
        return new BindPolicy(List.copyOf(allowed));
    }

    boolean permits(String source) {
        if (allowed == null) {
            return true;
        }
        String path = BindSource.clean(source);
        return allowed.stream().anyMatch(prefix -> path.equals(prefix)
                || path.startsWith(prefix.endsWith("/") ? prefix : prefix + "/"));
    }

    /** Refuses the first bind mount of one file's model that the policy does not permit. */
    void check(String stack, JsonNode model, SourceMap lines) throws ComposeException {
        if (allowed == null) {
            return;
        }
        for (Map.Entry<String, JsonNode> service : model.path("services").properties()) {
            JsonNode volumes = service.getValue().path("volumes");
            for (int i = 0; i < volumes.size(); i++) {
                JsonNode volume = volumes.get(i);
                String source = volume.path("source").asText("");
                if ("bind".equals(volume.path("type").asText()) && !permits(source)) {
                    throw lines.error(List.of("services", service.getKey(), "volumes", Integer.toString(i)),
                            "stack " + stack + ", service " + service.getKey() + ": bind mount source \"" + source
                                    + "\" is not allowed by bindSources in stackwarden.yaml ("
                                    + (allowed.isEmpty() ? "no bind mounts allowed" : "allowed: "
                                    + allowed.stream().collect(Collectors.joining(", "))) + ")");
                }
            }
        }
    }
}
