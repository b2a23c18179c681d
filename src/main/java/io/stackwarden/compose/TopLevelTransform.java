package io.stackwarden.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

import static io.stackwarden.compose.GoValues.JSON;
import static io.stackwarden.compose.GoValues.child;
import static io.stackwarden.compose.GoValues.flag;
import static io.stackwarden.compose.GoValues.mapping;
import static io.stackwarden.compose.GoValues.putNonEmpty;
import static io.stackwarden.compose.GoValues.stringMap;
import static io.stackwarden.compose.GoValues.strings;
import static io.stackwarden.compose.GoValues.text;

/**
 * The top-level {@code networks}, {@code volumes}, {@code secrets} and {@code configs}: one object each,
 * with the CLI's rules for {@code external} (and its deprecated {@code external.name}) and file paths.
 */
final class TopLevelTransform {

    private final TransformContext cx;

    TopLevelTransform(TransformContext cx) {
        this.cx = cx;
    }

    ObjectNode network(String name, JsonNode v, List<String> at) throws ComposeException {
        ObjectNode src = v instanceof ObjectNode o ? o : JSON.objectNode();
        ObjectNode out = JSON.objectNode();
        External ext = external(src.get("external"));
        String n = src.path("name").asText("");
        if (ext.external) {
            n = externalName("network", name, n, ext, at, "3.5");
        }
        if (!n.isEmpty()) {
            out.put("name", n);
        }
        text(out, "driver", src.get("driver"));
        putNonEmpty(out, "driver_opts", stringMap(src.get("driver_opts")));
        ObjectNode ipam = out.putObject("ipam");
        if (src.get("ipam") instanceof ObjectNode i) {
            text(ipam, "driver", i.get("driver"));
            if (i.get("config") instanceof ArrayNode c && !c.isEmpty()) {
                ArrayNode ca = ipam.putArray("config");
                for (JsonNode pool : c) {
                    ObjectNode p = ca.addObject();
                    text(p, "subnet", pool.get("subnet"));
                }
            }
        }
        out.put("external", ext.external);
        flag(out, "internal", src.get("internal"));
        flag(out, "attachable", src.get("attachable"));
        putNonEmpty(out, "labels", mapping(src.get("labels"), false));
        return out;
    }

    ObjectNode volume(String name, JsonNode v, List<String> at) throws ComposeException {
        ObjectNode src = v instanceof ObjectNode o ? o : JSON.objectNode();
        ObjectNode out = JSON.objectNode();
        External ext = external(src.get("external"));
        String n = src.path("name").asText("");
        ObjectNode driverOpts = stringMap(src.get("driver_opts"));
        ObjectNode labels = mapping(src.get("labels"), false);
        if (ext.external) {
            String conflict = !src.path("driver").asText("").isEmpty() ? "driver"
                    : !driverOpts.isEmpty() ? "driver_opts" : !labels.isEmpty() ? "labels" : null;
            if (conflict != null) {
                throw cx.lines().error(at, "conflicting parameters \"external\" and \"" + conflict
                        + "\" specified for volume \"" + name + "\"");
            }
            n = externalName("volume", name, n, ext, at, "3.4");
        }
        if (!n.isEmpty()) {
            out.put("name", n);
        }
        text(out, "driver", src.get("driver"));
        putNonEmpty(out, "driver_opts", driverOpts);
        out.put("external", ext.external);
        putNonEmpty(out, "labels", labels);
        if (src.get("x-cluster-spec") instanceof ObjectNode spec) {
            out.set("x-cluster-spec", clusterSpec(spec, child(at, "x-cluster-spec")));
        }
        return out;
    }

    private ObjectNode clusterSpec(ObjectNode s, List<String> at) throws ComposeException {
        ObjectNode o = JSON.objectNode();
        text(o, "group", s.get("group"));
        if (s.get("access_mode") instanceof ObjectNode a) {
            ObjectNode am = o.putObject("access_mode");
            text(am, "scope", a.get("scope"));
            text(am, "sharing", a.get("sharing"));
            if (a.get("mount_volume") instanceof ObjectNode m) {
                ObjectNode mv = am.putObject("mount_volume");
                text(mv, "fs_type", m.get("fs_type"));
                strings(mv, "mount_flags", m.get("mount_flags"));
            }
            if (a.get("block_volume") instanceof ObjectNode) {
                am.putObject("block_volume");
            }
        }
        if (s.get("accessibility_requirements") instanceof ObjectNode r) {
            ObjectNode ar = o.putObject("accessibility_requirements");
            for (String key : List.of("requisite", "preferred")) {
                if (r.get(key) instanceof ArrayNode list && !list.isEmpty()) {
                    ArrayNode la = ar.putArray(key);
                    for (JsonNode t : list) {
                        ObjectNode topo = la.addObject();
                        putNonEmpty(topo, "segments", mapping(t.get("segments"), false));
                    }
                }
            }
        }
        if (s.get("capacity_range") instanceof ObjectNode c) {
            ObjectNode cr = o.putObject("capacity_range");
            cx.bytes(cr, "required_bytes", c.get("required_bytes"), child(at, "capacity_range", "required_bytes"));
            cx.bytes(cr, "limit_bytes", c.get("limit_bytes"), child(at, "capacity_range", "limit_bytes"));
        }
        if (s.get("secrets") instanceof ArrayNode list && !list.isEmpty()) {
            ArrayNode sa = o.putArray("secrets");
            for (JsonNode x : list) {
                ObjectNode e = sa.addObject();
                text(e, "key", x.get("key"));
                text(e, "secret", x.get("secret"));
            }
        }
        text(o, "availability", s.get("availability"));
        return o;
    }

    /** A secret or config ({@code kind}); a local one's file is resolved inside the root by the {@link PathGuard}. */
    ObjectNode fileObject(String kind, String name, JsonNode v, List<String> at) throws ComposeException {
        ObjectNode src = v instanceof ObjectNode o ? o : JSON.objectNode();
        ObjectNode out = JSON.objectNode();
        External ext = external(src.get("external"));
        String n = src.path("name").asText("");
        String file = src.path("file").asText("");
        String driver = src.path("driver").asText("");
        if (ext.external) {
            n = externalName(kind, name, n, ext, at, "3.5");
        } else if (!driver.isEmpty()) {
            if (!file.isEmpty()) {
                throw cx.lines().error(at, kind + " " + name + ": " + kind + ".driver and " + kind
                        + ".file conflict; only use " + kind + ".driver");
            }
        } else {
            // Like the CLI, an absent file resolves to the working directory itself.
            file = cx.guard().resolve(file, cx.stackDir(), kind + " " + name + " file", cx.lines(), child(at, "file"))
                    .toString();
        }
        if (!n.isEmpty()) {
            out.put("name", n);
        }
        if (!file.isEmpty()) {
            out.put("file", file);
        }
        out.put("external", ext.external);
        putNonEmpty(out, "labels", mapping(src.get("labels"), false));
        text(out, "driver", src.get("driver"));
        putNonEmpty(out, "driver_opts", stringMap(src.get("driver_opts")));
        text(out, "template_driver", src.get("template_driver"));
        return out;
    }

    private record External(boolean external, String name) {
    }

    /**
     * The engine name of an external object: the old {@code external.name} (deprecated from
     * {@code deprecatedSince} on, and in conflict with {@code name:}), else {@code name:}, else the key.
     */
    private String externalName(String kind, String key, String name, External ext, List<String> at,
                                String deprecatedSince) throws ComposeException {
        if (ext.name.isEmpty()) {
            return name.isEmpty() ? key : name;
        }
        if (!name.isEmpty()) {
            throw cx.lines().error(at, kind + " " + key + ": " + kind + ".external.name and " + kind
                    + ".name conflict; only use " + kind + ".name");
        }
        if (SchemaCheck.compareVersions(cx.version(), deprecatedSince) >= 0) {
            cx.warnings().add(kind + " " + key + ": " + kind + ".external.name is deprecated in favor of " + kind
                    + ".name");
        }
        return ext.name;
    }

    private static External external(JsonNode v) {
        if (v == null || v.isNull()) {
            return new External(false, "");
        }
        if (v.isBoolean()) {
            return new External(v.booleanValue(), "");
        }
        return new External(true, v.path("name").asText(""));
    }
}
