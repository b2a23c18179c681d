package io.stackwarden.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

import static io.stackwarden.compose.GoValues.JSON;
import static io.stackwarden.compose.GoValues.child;
import static io.stackwarden.compose.GoValues.flag;
import static io.stackwarden.compose.GoValues.reorder;
import static io.stackwarden.compose.GoValues.text;

/**
 * A service's {@code volumes}: short specs parsed by {@link VolumeSpec}, and bind sources made node paths
 * ({@code ~} expanded from HOME, relative ones against the stack directory, see {@link BindSource}).
 */
final class ServiceVolumesTransform {

    private final TransformContext cx;

    ServiceVolumesTransform(TransformContext cx) {
        this.cx = cx;
    }

    ArrayNode volumes(JsonNode v, List<String> at) throws ComposeException {
        ArrayNode out = JSON.arrayNode();
        if (v == null || !v.isArray()) {
            return out;
        }
        for (int i = 0; i < v.size(); i++) {
            JsonNode item = v.get(i);
            List<String> where = child(at, Integer.toString(i));
            ObjectNode vol;
            if (item.isTextual()) {
                try {
                    vol = VolumeSpec.parse(item.textValue());
                } catch (IllegalArgumentException e) {
                    throw cx.lines().error(where, e.getMessage());
                }
            } else {
                vol = longSyntax(item);
            }
            if ("bind".equals(vol.path("type").asText())) {
                String source = vol.path("source").asText("");
                if (source.isEmpty()) {
                    throw cx.lines().error(where,
                            "invalid mount config for type \"bind\": field Source must not be empty");
                }
                vol.put("source", BindSource.resolve(expandUser(source), cx.stackDir().toString()));
                // keep Go's field order: type, source, target, ...
                vol = reorder(vol, List.of("type", "source", "target", "read_only", "consistency", "bind", "volume",
                        "image", "tmpfs", "cluster"));
            }
            out.add(vol);
        }
        return out;
    }

    private static ObjectNode longSyntax(JsonNode item) {
        ObjectNode vol = JSON.objectNode();
        text(vol, "type", item.get("type"));
        text(vol, "source", item.get("source"));
        text(vol, "target", item.get("target"));
        flag(vol, "read_only", item.get("read_only"));
        text(vol, "consistency", item.get("consistency"));
        if (item.get("bind") instanceof ObjectNode b) {
            text(vol.putObject("bind"), "propagation", b.get("propagation"));
        }
        if (item.get("volume") instanceof ObjectNode b) {
            ObjectNode vo = vol.putObject("volume");
            flag(vo, "nocopy", b.get("nocopy"));
            text(vo, "subpath", b.get("subpath"));
        }
        if (item.get("tmpfs") instanceof ObjectNode b) {
            ObjectNode t = vol.putObject("tmpfs");
            if (b.path("size").asLong() != 0) {
                t.put("size", b.path("size").asLong());
            }
        }
        return vol;
    }

    private String expandUser(String source) {
        if (!source.startsWith("~")) {
            return source;
        }
        String home = cx.variables().get("HOME");
        if (home == null) {
            cx.warnings().add("cannot expand '~', because the environment lacks HOME");
            return source;
        }
        return home + source.substring(1);
    }
}
