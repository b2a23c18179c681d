package io.stackwarden.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

import static io.stackwarden.compose.GoValues.JSON;
import static io.stackwarden.compose.GoValues.child;
import static io.stackwarden.compose.GoValues.text;

/** A service's {@code ports}: long syntax kept, short specs expanded by {@link PortSpec} (one entry per port). */
final class PortsTransform {

    private final TransformContext cx;

    PortsTransform(TransformContext cx) {
        this.cx = cx;
    }

    ArrayNode ports(JsonNode v, List<String> at) throws ComposeException {
        ArrayNode out = JSON.arrayNode();
        if (v == null || !v.isArray()) {
            return out;
        }
        for (int i = 0; i < v.size(); i++) {
            JsonNode item = v.get(i);
            if (item.isObject()) {
                ObjectNode p = out.addObject();
                text(p, "mode", item.get("mode"));
                if (item.path("target").asLong() != 0) {
                    p.put("target", cx.unsigned(item.get("target"), child(at, Integer.toString(i), "target"),
                            0xFFFFFFFFL));
                }
                if (item.path("published").asLong() != 0) {
                    p.put("published", cx.unsigned(item.get("published"), child(at, Integer.toString(i), "published"),
                            0xFFFFFFFFL));
                }
                text(p, "protocol", item.get("protocol"));
                continue;
            }
            String spec = item.isTextual() ? item.textValue() : GoText.sprint(item);
            try {
                PortSpec.expand(spec, cx.warnings()).forEach(out::add);
            } catch (IllegalArgumentException e) {
                throw cx.lines().error(child(at, Integer.toString(i)), "services port " + spec + ": " + e.getMessage());
            }
        }
        return out;
    }
}
