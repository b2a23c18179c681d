package io.stackwarden.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

import static io.stackwarden.compose.GoValues.JSON;
import static io.stackwarden.compose.GoValues.child;
import static io.stackwarden.compose.GoValues.flag;
import static io.stackwarden.compose.GoValues.putNonEmpty;
import static io.stackwarden.compose.GoValues.stringMap;
import static io.stackwarden.compose.GoValues.text;

/** A service's {@code healthcheck} (a string test becomes CMD-SHELL) and {@code logging}. */
final class HealthcheckTransform {

    private final TransformContext cx;

    HealthcheckTransform(TransformContext cx) {
        this.cx = cx;
    }

    ObjectNode healthcheck(ObjectNode h, List<String> at) throws ComposeException {
        ObjectNode o = JSON.objectNode();
        JsonNode test = h.get("test");
        if (test != null && !test.isNull()) {
            ArrayNode t = JSON.arrayNode();
            if (test.isTextual()) {
                t.add("CMD-SHELL").add(test.textValue());
            } else {
                test.forEach(w -> t.add(w.asText()));
            }
            if (!t.isEmpty()) {
                o.set("test", t);
            }
        }
        cx.duration(o, "timeout", h.get("timeout"), true, child(at, "timeout"));
        cx.duration(o, "interval", h.get("interval"), true, child(at, "interval"));
        if (h.has("retries") && !h.get("retries").isNull()) {
            o.put("retries", cx.unsigned(h.get("retries"), child(at, "retries"), Long.MAX_VALUE));
        }
        cx.duration(o, "start_period", h.get("start_period"), true, child(at, "start_period"));
        cx.duration(o, "start_interval", h.get("start_interval"), true, child(at, "start_interval"));
        flag(o, "disable", h.get("disable"));
        return o;
    }

    static ObjectNode logging(ObjectNode l) {
        ObjectNode log = JSON.objectNode();
        text(log, "driver", l.get("driver"));
        putNonEmpty(log, "options", stringMap(l.get("options")));
        return log;
    }
}
