package io.stackwarden.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

import static io.stackwarden.compose.GoValues.JSON;
import static io.stackwarden.compose.GoValues.child;
import static io.stackwarden.compose.GoValues.mapping;
import static io.stackwarden.compose.GoValues.putNonEmpty;
import static io.stackwarden.compose.GoValues.strings;
import static io.stackwarden.compose.GoValues.text;

/** A service's {@code deploy}; always present, with {@code resources} and {@code placement} as Go keeps them. */
final class DeployTransform {

    private final TransformContext cx;

    DeployTransform(TransformContext cx) {
        this.cx = cx;
    }

    ObjectNode deploy(JsonNode d, List<String> at) throws ComposeException {
        ObjectNode o = JSON.objectNode();
        ObjectNode src = d instanceof ObjectNode x ? x : JSON.objectNode();
        text(o, "mode", src.get("mode"));
        if (src.has("replicas") && !src.get("replicas").isNull()) {
            o.put("replicas", cx.unsigned(src.get("replicas"), child(at, "replicas"), Long.MAX_VALUE));
        }
        putNonEmpty(o, "labels", mapping(src.get("labels"), false));
        if (src.get("update_config") instanceof ObjectNode u) {
            o.set("update_config", updateConfig(u, child(at, "update_config")));
        }
        if (src.get("rollback_config") instanceof ObjectNode u) {
            o.set("rollback_config", updateConfig(u, child(at, "rollback_config")));
        }
        ObjectNode resources = o.putObject("resources");
        if (src.get("resources") instanceof ObjectNode r) {
            if (r.get("limits") instanceof ObjectNode l) {
                ObjectNode lim = resources.putObject("limits");
                text(lim, "cpus", l.get("cpus"));
                cx.bytes(lim, "memory", l.get("memory"), child(at, "resources", "limits", "memory"));
                if (l.has("pids") && l.get("pids").asLong() != 0) {
                    lim.put("pids", l.get("pids").asLong());
                }
            }
            if (r.get("reservations") instanceof ObjectNode l) {
                ObjectNode res = resources.putObject("reservations");
                text(res, "cpus", l.get("cpus"));
                cx.bytes(res, "memory", l.get("memory"), child(at, "resources", "reservations", "memory"));
                if (l.get("generic_resources") instanceof ArrayNode g && !g.isEmpty()) {
                    ArrayNode ga = res.putArray("generic_resources");
                    for (JsonNode item : g) {
                        ObjectNode gr = ga.addObject();
                        if (item.get("discrete_resource_spec") instanceof ObjectNode spec) {
                            ObjectNode ds = gr.putObject("discrete_resource_spec");
                            ds.put("kind", spec.path("kind").asText(""));
                            ds.put("value", spec.path("value").asLong(0));
                        }
                    }
                }
            }
        }
        if (src.get("restart_policy") instanceof ObjectNode r) {
            ObjectNode rp = o.putObject("restart_policy");
            List<String> rat = child(at, "restart_policy");
            text(rp, "condition", r.get("condition"));
            cx.duration(rp, "delay", r.get("delay"), true, child(rat, "delay"));
            if (r.has("max_attempts") && !r.get("max_attempts").isNull()) {
                rp.put("max_attempts", cx.unsigned(r.get("max_attempts"), child(rat, "max_attempts"), Long.MAX_VALUE));
            }
            cx.duration(rp, "window", r.get("window"), true, child(rat, "window"));
        }
        ObjectNode placement = o.putObject("placement");
        if (src.get("placement") instanceof ObjectNode p) {
            strings(placement, "constraints", p.get("constraints"));
            if (p.get("preferences") instanceof ArrayNode prefs && !prefs.isEmpty()) {
                ArrayNode pa = placement.putArray("preferences");
                for (JsonNode pref : prefs) {
                    ObjectNode po = pa.addObject();
                    text(po, "spread", pref.get("spread"));
                }
            }
            if (p.has("max_replicas_per_node") && p.get("max_replicas_per_node").asLong() != 0) {
                placement.put("max_replicas_per_node", cx.unsigned(p.get("max_replicas_per_node"),
                        child(at, "placement", "max_replicas_per_node"), Long.MAX_VALUE));
            }
        }
        text(o, "endpoint_mode", src.get("endpoint_mode"));
        return o;
    }

    private ObjectNode updateConfig(ObjectNode u, List<String> at) throws ComposeException {
        ObjectNode o = JSON.objectNode();
        if (u.has("parallelism") && !u.get("parallelism").isNull()) {
            o.put("parallelism", cx.unsigned(u.get("parallelism"), child(at, "parallelism"), Long.MAX_VALUE));
        }
        cx.duration(o, "delay", u.get("delay"), false, child(at, "delay"));
        text(o, "failure_action", u.get("failure_action"));
        cx.duration(o, "monitor", u.get("monitor"), false, child(at, "monitor"));
        if (u.has("max_failure_ratio") && u.get("max_failure_ratio").isNumber()
                && u.get("max_failure_ratio").floatValue() != 0f) {
            // Go keeps it as float32: round through float so 0.3 stays 0.3 when printed.
            o.put("max_failure_ratio", Double.parseDouble(Float.toString(u.get("max_failure_ratio").floatValue())));
        }
        text(o, "order", u.get("order"));
        return o;
    }
}
