package io.stackwarden.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns one validated, interpolated file into the JSON docker/cli's {@code types.Config} marshals to:
 * short syntaxes expanded (ports, volumes, secrets, build), lists-or-maps normalised, values that Go
 * holds as strings printed the Go way, durations and byte sizes normalised, {@code env_file} merged
 * into {@code environment}, relative paths made absolute (files read here stay inside the root, see
 * {@link PathGuard}; bind sources are node paths, see {@link BindSource}), and
 * the zero values left out exactly where Go's {@code omitempty} leaves them out (structs always stay:
 * every service has {@code build}, {@code credential_spec} and {@code deploy}).
 */
final class ModelTransform {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final String version;
    private final Path stackDir;
    private final PathGuard guard;
    private final Map<String, String> variables;
    private final SourceMap lines;
    private final List<String> warnings;

    ModelTransform(String version, Path stackDir, PathGuard guard, Map<String, String> variables, SourceMap lines,
                   List<String> warnings) {
        this.version = version;
        this.stackDir = stackDir;
        this.guard = guard;
        this.variables = variables;
        this.lines = lines;
        this.warnings = warnings;
    }

    ObjectNode config(ObjectNode root) throws ComposeException {
        ObjectNode out = JSON.objectNode();
        out.put("version", version);
        ObjectNode services = out.putObject("services");
        for (Map.Entry<String, JsonNode> e : sorted(section(root, "services"))) {
            services.set(e.getKey(), service(e.getKey(), (ObjectNode) e.getValue(), path("services", e.getKey())));
        }
        putNonEmpty(out, "networks", objects(root, "networks", this::network));
        putNonEmpty(out, "volumes", objects(root, "volumes", this::volume));
        putNonEmpty(out, "secrets", objects(root, "secrets", (n, v, p) -> fileObject("secret", n, v, p)));
        putNonEmpty(out, "configs", objects(root, "configs", (n, v, p) -> fileObject("config", n, v, p)));
        for (Map.Entry<String, JsonNode> e : sorted(root)) {
            if (e.getKey().startsWith("x-")) {
                out.set(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    // ---- services -----------------------------------------------------------------------------------

    private ObjectNode service(String name, ObjectNode s, List<String> at) throws ComposeException {
        ObjectNode o = JSON.objectNode();
        o.set("build", build(s.get("build")));
        strings(o, "cap_add", s.get("cap_add"));
        strings(o, "cap_drop", s.get("cap_drop"));
        text(o, "cgroupns_mode", s.get("cgroupns_mode"));
        text(o, "cgroup_parent", s.get("cgroup_parent"));
        command(o, "command", s.get("command"), child(at, "command"));
        putNonEmpty(o, "configs", fileReferences(s.get("configs"), child(at, "configs")));
        text(o, "container_name", s.get("container_name"));
        ObjectNode cred = o.putObject("credential_spec");
        if (s.get("credential_spec") instanceof ObjectNode c) {
            text(cred, "config", c.get("config"));
            text(cred, "file", c.get("file"));
            text(cred, "registry", c.get("registry"));
        }
        strings(o, "depends_on", s.get("depends_on"));
        o.set("deploy", deploy(s.get("deploy"), child(at, "deploy")));
        strings(o, "devices", s.get("devices"));
        strings(o, "dns", stringList(s.get("dns")));
        strings(o, "dns_search", stringList(s.get("dns_search")));
        text(o, "domainname", s.get("domainname"));
        command(o, "entrypoint", s.get("entrypoint"), child(at, "entrypoint"));
        JsonNode envFiles = stringList(s.get("env_file"));
        putNonEmpty(o, "environment", environment(s.get("environment"), envFiles, child(at, "env_file")));
        strings(o, "env_file", envFiles);
        if (s.get("expose") instanceof ArrayNode ex && !ex.isEmpty()) {
            ArrayNode a = o.putArray("expose");
            ex.forEach(v -> a.add(GoText.sprint(v)));
        }
        strings(o, "external_links", s.get("external_links"));
        strings(o, "extra_hosts", hosts(s.get("extra_hosts")));
        text(o, "hostname", s.get("hostname"));
        if (s.get("healthcheck") instanceof ObjectNode h) {
            o.set("healthcheck", healthcheck(h, child(at, "healthcheck")));
        }
        text(o, "image", s.get("image"));
        if (s.has("init") && s.get("init").isBoolean()) {
            o.put("init", s.get("init").booleanValue());
        }
        text(o, "ipc", s.get("ipc"));
        text(o, "isolation", s.get("isolation"));
        putNonEmpty(o, "labels", mapping(s.get("labels"), false));
        strings(o, "links", s.get("links"));
        if (s.get("logging") instanceof ObjectNode l) {
            ObjectNode log = o.putObject("logging");
            text(log, "driver", l.get("driver"));
            putNonEmpty(log, "options", stringMap(l.get("options")));
        }
        text(o, "mac_address", s.get("mac_address"));
        text(o, "network_mode", s.get("network_mode"));
        putNonEmpty(o, "networks", serviceNetworks(s.get("networks")));
        text(o, "pid", s.get("pid"));
        putNonEmpty(o, "ports", ports(s.get("ports"), child(at, "ports")));
        flag(o, "privileged", s.get("privileged"));
        flag(o, "read_only", s.get("read_only"));
        text(o, "restart", s.get("restart"));
        putNonEmpty(o, "secrets", fileReferences(s.get("secrets"), child(at, "secrets")));
        strings(o, "security_opt", s.get("security_opt"));
        if (s.has("shm_size") && !s.get("shm_size").isNull()) {
            if (!s.get("shm_size").isTextual()) {
                throw lines.error(child(at, "shm_size"), "services." + name
                        + ".shm_size: expected type 'string', got a number");
            }
            text(o, "shm_size", s.get("shm_size"));
        }
        flag(o, "stdin_open", s.get("stdin_open"));
        duration(o, "stop_grace_period", s.get("stop_grace_period"), true, child(at, "stop_grace_period"));
        text(o, "stop_signal", s.get("stop_signal"));
        putNonEmpty(o, "sysctls", mapping(s.get("sysctls"), false));
        strings(o, "tmpfs", stringList(s.get("tmpfs")));
        flag(o, "tty", s.get("tty"));
        putNonEmpty(o, "ulimits", ulimits(s.get("ulimits")));
        text(o, "user", s.get("user"));
        if (s.has("oom_score_adj") && s.get("oom_score_adj").asLong() != 0) {
            o.put("oom_score_adj", s.get("oom_score_adj").asLong());
        }
        text(o, "userns_mode", s.get("userns_mode"));
        putNonEmpty(o, "volumes", serviceVolumes(s.get("volumes"), child(at, "volumes")));
        text(o, "working_dir", s.get("working_dir"));
        return o;
    }

    private ObjectNode build(JsonNode b) {
        ObjectNode o = JSON.objectNode();
        if (b == null || b.isNull()) {
            return o;
        }
        if (b.isTextual()) {
            o.put("context", b.textValue());
            return o;
        }
        text(o, "context", b.get("context"));
        text(o, "dockerfile", b.get("dockerfile"));
        putNonEmpty(o, "args", mapping(b.get("args"), true));
        putNonEmpty(o, "labels", mapping(b.get("labels"), false));
        strings(o, "cache_from", stringList(b.get("cache_from")));
        strings(o, "extra_hosts", hosts(b.get("extra_hosts")));
        text(o, "network", b.get("network"));
        text(o, "target", b.get("target"));
        return o;
    }

    private void command(ObjectNode o, String key, JsonNode v, List<String> at) throws ComposeException {
        if (v == null || v.isNull()) {
            return;
        }
        List<String> words;
        if (v.isTextual()) {
            try {
                words = Shlex.split(v.textValue());
            } catch (IllegalArgumentException e) {
                throw lines.error(at, SourceMap.dotted(at) + ": " + e.getMessage());
            }
        } else {
            words = new ArrayList<>();
            for (JsonNode w : v) {
                words.add(w.asText());
            }
        }
        if (!words.isEmpty()) {
            ArrayNode a = o.putArray(key);
            words.forEach(a::add);
        }
    }

    private ArrayNode fileReferences(JsonNode v, List<String> at) throws ComposeException {
        ArrayNode out = JSON.arrayNode();
        if (v == null || !v.isArray()) {
            return out;
        }
        for (int i = 0; i < v.size(); i++) {
            JsonNode item = v.get(i);
            ObjectNode r = out.addObject();
            if (item.isTextual()) {
                r.put("source", item.textValue());
                continue;
            }
            text(r, "source", item.get("source"));
            text(r, "target", item.get("target"));
            text(r, "uid", item.get("uid"));
            text(r, "gid", item.get("gid"));
            if (item.has("mode") && !item.get("mode").isNull()) {
                long mode = unsigned(item.get("mode"), child(child(at, Integer.toString(i)), "mode"), 0xFFFFFFFFL);
                r.put("mode", mode);
            }
        }
        return out;
    }

    private ObjectNode deploy(JsonNode d, List<String> at) throws ComposeException {
        ObjectNode o = JSON.objectNode();
        ObjectNode src = d instanceof ObjectNode x ? x : JSON.objectNode();
        text(o, "mode", src.get("mode"));
        if (src.has("replicas") && !src.get("replicas").isNull()) {
            o.put("replicas", unsigned(src.get("replicas"), child(at, "replicas"), Long.MAX_VALUE));
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
                bytes(lim, "memory", l.get("memory"), child(at, "resources", "limits", "memory"));
                if (l.has("pids") && l.get("pids").asLong() != 0) {
                    lim.put("pids", l.get("pids").asLong());
                }
            }
            if (r.get("reservations") instanceof ObjectNode l) {
                ObjectNode res = resources.putObject("reservations");
                text(res, "cpus", l.get("cpus"));
                bytes(res, "memory", l.get("memory"), child(at, "resources", "reservations", "memory"));
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
            duration(rp, "delay", r.get("delay"), true, child(rat, "delay"));
            if (r.has("max_attempts") && !r.get("max_attempts").isNull()) {
                rp.put("max_attempts", unsigned(r.get("max_attempts"), child(rat, "max_attempts"), Long.MAX_VALUE));
            }
            duration(rp, "window", r.get("window"), true, child(rat, "window"));
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
                placement.put("max_replicas_per_node", unsigned(p.get("max_replicas_per_node"),
                        child(at, "placement", "max_replicas_per_node"), Long.MAX_VALUE));
            }
        }
        text(o, "endpoint_mode", src.get("endpoint_mode"));
        return o;
    }

    private ObjectNode updateConfig(ObjectNode u, List<String> at) throws ComposeException {
        ObjectNode o = JSON.objectNode();
        if (u.has("parallelism") && !u.get("parallelism").isNull()) {
            o.put("parallelism", unsigned(u.get("parallelism"), child(at, "parallelism"), Long.MAX_VALUE));
        }
        duration(o, "delay", u.get("delay"), false, child(at, "delay"));
        text(o, "failure_action", u.get("failure_action"));
        duration(o, "monitor", u.get("monitor"), false, child(at, "monitor"));
        if (u.has("max_failure_ratio") && u.get("max_failure_ratio").isNumber()
                && u.get("max_failure_ratio").floatValue() != 0f) {
            // Go keeps it as float32: round through float so 0.3 stays 0.3 when printed.
            o.put("max_failure_ratio", Double.parseDouble(Float.toString(u.get("max_failure_ratio").floatValue())));
        }
        text(o, "order", u.get("order"));
        return o;
    }

    private ObjectNode healthcheck(ObjectNode h, List<String> at) throws ComposeException {
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
        duration(o, "timeout", h.get("timeout"), true, child(at, "timeout"));
        duration(o, "interval", h.get("interval"), true, child(at, "interval"));
        if (h.has("retries") && !h.get("retries").isNull()) {
            o.put("retries", unsigned(h.get("retries"), child(at, "retries"), Long.MAX_VALUE));
        }
        duration(o, "start_period", h.get("start_period"), true, child(at, "start_period"));
        duration(o, "start_interval", h.get("start_interval"), true, child(at, "start_interval"));
        flag(o, "disable", h.get("disable"));
        return o;
    }

    /** env_file entries first, then {@code environment}; empty or valueless entries take the variable's value. */
    private ObjectNode environment(JsonNode env, JsonNode envFiles, List<String> at) throws ComposeException {
        Map<String, String> merged = new TreeMap<>();
        Map<String, Boolean> present = new TreeMap<>();
        if (envFiles != null) {
            for (int i = 0; i < envFiles.size(); i++) {
                String raw = envFiles.get(i).asText();
                List<String> where = child(at, Integer.toString(i));
                Path file = guard.resolve(raw, stackDir, "env_file", lines, where);
                byte[] content;
                try {
                    content = guard.read(file, FileKind.ENV);
                } catch (FileRefused e) {
                    throw lines.error(where, "env_file " + raw + ": " + e.getMessage());
                }
                Map<String, String> vars = EnvFile.parse(guard.show(file), content,
                        k -> Optional.ofNullable(variables.get(k)));
                vars.forEach((k, v) -> put(merged, present, k, v));
            }
        }
        ObjectNode declared = mapping(env, true);
        for (Iterator<Map.Entry<String, JsonNode>> it = declared.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            put(merged, present, e.getKey(), e.getValue().isNull() ? null : e.getValue().textValue());
        }
        ObjectNode out = JSON.objectNode();
        for (String k : present.keySet()) {
            String v = merged.get(k);
            if (v == null) {
                out.putNull(k);
            } else {
                out.put(k, v);
            }
        }
        return out;
    }

    private void put(Map<String, String> merged, Map<String, Boolean> present, String k, String v) {
        String fromVars = variables.get(k);
        merged.put(k, (v == null || v.isEmpty()) && fromVars != null ? fromVars : v);
        present.put(k, true);
    }

    private ObjectNode serviceNetworks(JsonNode v) {
        ObjectNode out = JSON.objectNode();
        if (v == null || v.isNull()) {
            return out;
        }
        if (v.isArray()) {
            for (String name : new TreeSet<>(texts(v))) {
                out.putNull(name);
            }
            return out;
        }
        for (Map.Entry<String, JsonNode> e : sorted(v)) {
            if (e.getValue() == null || e.getValue().isNull()) {
                out.putNull(e.getKey());
                continue;
            }
            ObjectNode n = out.putObject(e.getKey());
            strings(n, "aliases", e.getValue().get("aliases"));
            putNonEmpty(n, "driver_opts", stringMap(e.getValue().get("driver_opts")));
            text(n, "ipv4_address", e.getValue().get("ipv4_address"));
            text(n, "ipv6_address", e.getValue().get("ipv6_address"));
        }
        return out;
    }

    private ArrayNode ports(JsonNode v, List<String> at) throws ComposeException {
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
                    p.put("target", unsigned(item.get("target"), child(at, Integer.toString(i), "target"), 0xFFFFFFFFL));
                }
                if (item.path("published").asLong() != 0) {
                    p.put("published", unsigned(item.get("published"), child(at, Integer.toString(i), "published"),
                            0xFFFFFFFFL));
                }
                text(p, "protocol", item.get("protocol"));
                continue;
            }
            String spec = item.isTextual() ? item.textValue() : GoText.sprint(item);
            try {
                PortSpec.expand(spec, warnings).forEach(out::add);
            } catch (IllegalArgumentException e) {
                throw lines.error(child(at, Integer.toString(i)), "services port " + spec + ": " + e.getMessage());
            }
        }
        return out;
    }

    private ObjectNode ulimits(JsonNode v) {
        ObjectNode out = JSON.objectNode();
        if (v == null || !v.isObject()) {
            return out;
        }
        for (Map.Entry<String, JsonNode> e : sorted(v)) {
            JsonNode u = e.getValue();
            if (u.isNumber()) {
                out.put(e.getKey(), u.asLong());
            } else if (u.isObject()) {
                ObjectNode l = out.putObject(e.getKey());
                if (u.path("soft").asLong() != 0) {
                    l.put("soft", u.path("soft").asLong());
                }
                if (u.path("hard").asLong() != 0) {
                    l.put("hard", u.path("hard").asLong());
                }
            }
        }
        return out;
    }

    private ArrayNode serviceVolumes(JsonNode v, List<String> at) throws ComposeException {
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
                    throw lines.error(where, e.getMessage());
                }
            } else {
                vol = JSON.objectNode();
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
            }
            if ("bind".equals(vol.path("type").asText())) {
                String source = vol.path("source").asText("");
                if (source.isEmpty()) {
                    throw lines.error(where, "invalid mount config for type \"bind\": field Source must not be empty");
                }
                vol.put("source", BindSource.resolve(expandUser(source), stackDir.toString()));
                // keep Go's field order: type, source, target, ...
                vol = reorder(vol, List.of("type", "source", "target", "read_only", "consistency", "bind", "volume",
                        "image", "tmpfs", "cluster"));
            }
            out.add(vol);
        }
        return out;
    }

    private String expandUser(String source) {
        if (!source.startsWith("~")) {
            return source;
        }
        String home = variables.get("HOME");
        if (home == null) {
            warnings.add("cannot expand '~', because the environment lacks HOME");
            return source;
        }
        return home + source.substring(1);
    }

    // ---- top-level objects --------------------------------------------------------------------------

    private interface Loader {
        ObjectNode load(String name, JsonNode value, List<String> at) throws ComposeException;
    }

    private ObjectNode objects(ObjectNode root, String section, Loader loader) throws ComposeException {
        ObjectNode out = JSON.objectNode();
        for (Map.Entry<String, JsonNode> e : sorted(section(root, section))) {
            out.set(e.getKey(), loader.load(e.getKey(), e.getValue(), path(section, e.getKey())));
        }
        return out;
    }

    private ObjectNode network(String name, JsonNode v, List<String> at) throws ComposeException {
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

    private ObjectNode volume(String name, JsonNode v, List<String> at) throws ComposeException {
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
                throw lines.error(at, "conflicting parameters \"external\" and \"" + conflict
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
            bytes(cr, "required_bytes", c.get("required_bytes"), child(at, "capacity_range", "required_bytes"));
            bytes(cr, "limit_bytes", c.get("limit_bytes"), child(at, "capacity_range", "limit_bytes"));
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

    private ObjectNode fileObject(String kind, String name, JsonNode v, List<String> at) throws ComposeException {
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
                throw lines.error(at, kind + " " + name + ": " + kind + ".driver and " + kind
                        + ".file conflict; only use " + kind + ".driver");
            }
        } else {
            // Like the CLI, an absent file resolves to the working directory itself.
            file = guard.resolve(file, stackDir, kind + " " + name + " file", lines, child(at, "file")).toString();
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
            throw lines.error(at, kind + " " + key + ": " + kind + ".external.name and " + kind
                    + ".name conflict; only use " + kind + ".name");
        }
        if (SchemaCheck.compareVersions(version, deprecatedSince) >= 0) {
            warnings.add(kind + " " + key + ": " + kind + ".external.name is deprecated in favor of " + kind + ".name");
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

    // ---- value helpers ------------------------------------------------------------------------------

    /** A list-or-mapping as a map: "k=v" items split at the first '='; valueless items null or "". */
    static ObjectNode mapping(JsonNode v, boolean allowNull) {
        ObjectNode out = JSON.objectNode();
        if (v == null || v.isNull()) {
            return out;
        }
        Map<String, String> m = new TreeMap<>();
        Map<String, Boolean> keys = new TreeMap<>();
        if (v.isArray()) {
            for (JsonNode item : v) {
                String s = item.asText();
                int eq = s.indexOf('=');
                String k = eq < 0 ? s : s.substring(0, eq);
                m.put(k, eq < 0 ? (allowNull ? null : "") : s.substring(eq + 1));
                keys.put(k, true);
            }
        } else {
            for (Map.Entry<String, JsonNode> e : sorted(v)) {
                JsonNode val = e.getValue();
                m.put(e.getKey(), val.isNull() ? (allowNull ? null : "") : GoText.sprint(val));
                keys.put(e.getKey(), true);
            }
        }
        keys.keySet().forEach(k -> {
            if (m.get(k) == null) {
                out.putNull(k);
            } else {
                out.put(k, m.get(k));
            }
        });
        return out;
    }

    private static ObjectNode stringMap(JsonNode v) {
        ObjectNode out = JSON.objectNode();
        if (v != null && v.isObject()) {
            for (Map.Entry<String, JsonNode> e : sorted(v)) {
                out.put(e.getKey(), e.getValue().isNull() ? "" : GoText.sprint(e.getValue()));
            }
        }
        return out;
    }

    /** extra_hosts: "host:ip" strings; a map is sorted, list items may use '=' or ':'; "[::1]" loses brackets. */
    private static JsonNode hosts(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        List<String> pairs = new ArrayList<>();
        if (v.isObject()) {
            for (Map.Entry<String, JsonNode> e : sorted(v)) {
                if (!e.getValue().isNull()) {
                    pairs.add(e.getKey() + ":" + GoText.sprint(e.getValue()));
                }
            }
            pairs.sort(null);
        } else {
            for (JsonNode item : v) {
                String s = GoText.sprint(item);
                int eq = s.indexOf('=');
                int colon = s.indexOf(':');
                if (eq >= 0) {
                    pairs.add(s.substring(0, eq) + ":" + s.substring(eq + 1));
                } else if (colon >= 0) {
                    pairs.add(s);
                }
            }
        }
        ArrayNode out = JSON.arrayNode();
        for (String p : pairs) {
            int colon = p.indexOf(':');
            String host = colon < 0 ? p : p.substring(0, colon);
            String ip = colon < 0 ? "" : p.substring(colon + 1);
            if (ip.length() > 2 && ip.startsWith("[") && ip.endsWith("]")) {
                ip = ip.substring(1, ip.length() - 1);
            }
            out.add(host + ":" + ip);
        }
        return out;
    }

    private static JsonNode stringList(JsonNode v) {
        if (v != null && v.isTextual()) {
            return JSON.arrayNode().add(v.textValue());
        }
        return v;
    }

    private static List<String> texts(JsonNode v) {
        List<String> out = new ArrayList<>();
        v.forEach(x -> out.add(x.asText()));
        return out;
    }

    private static void strings(ObjectNode o, String key, JsonNode v) {
        if (v != null && v.isArray() && !v.isEmpty()) {
            ArrayNode a = o.putArray(key);
            v.forEach(x -> a.add(x.isTextual() ? x.textValue() : GoText.sprint(x)));
        }
    }

    private static void text(ObjectNode o, String key, JsonNode v) {
        if (v != null && !v.isNull() && !v.asText().isEmpty()) {
            o.put(key, v.isTextual() ? v.textValue() : GoText.sprint(v));
        }
    }

    private static void flag(ObjectNode o, String key, JsonNode v) {
        if (v != null && v.isBoolean() && v.booleanValue()) {
            o.put(key, true);
        }
    }

    /** A Go duration field; pointer fields keep an explicit zero ("0s"), plain ones drop it. */
    private void duration(ObjectNode o, String key, JsonNode v, boolean pointer, List<String> at)
            throws ComposeException {
        if (v == null || v.isNull()) {
            return;
        }
        long ns;
        try {
            ns = GoText.parseDuration(v.asText());
        } catch (IllegalArgumentException e) {
            throw lines.error(at, SourceMap.dotted(at) + ": " + e.getMessage());
        }
        if (ns != 0 || pointer) {
            o.put(key, GoText.formatDuration(ns));
        }
    }

    /** A go-units byte size, marshalled by the CLI as a decimal string; zero is omitted. */
    private void bytes(ObjectNode o, String key, JsonNode v, List<String> at) throws ComposeException {
        if (v == null || v.isNull()) {
            return;
        }
        long n;
        try {
            n = v.isNumber() ? v.asLong() : GoText.ramInBytes(v.asText());
        } catch (IllegalArgumentException e) {
            throw lines.error(at, SourceMap.dotted(at) + ": " + e.getMessage());
        }
        if (n != 0) {
            o.put(key, Long.toString(n));
        }
    }

    private long unsigned(JsonNode v, List<String> at, long max) throws ComposeException {
        if (!v.isNumber() || v.asLong() < 0 || (v.isIntegralNumber() && !v.canConvertToLong()) || v.asLong() > max) {
            throw lines.error(at, SourceMap.dotted(at) + ": " + GoText.sprint(v)
                    + " is not a valid unsigned number here");
        }
        return v.asLong();
    }

    private static void putNonEmpty(ObjectNode o, String key, JsonNode v) {
        if (v != null && v.size() > 0) {
            o.set(key, v);
        }
    }

    private static ObjectNode reorder(ObjectNode v, List<String> order) {
        ObjectNode out = JSON.objectNode();
        order.forEach(k -> {
            if (v.has(k)) {
                out.set(k, v.get(k));
            }
        });
        return out;
    }

    private static ObjectNode section(ObjectNode root, String key) {
        return root.get(key) instanceof ObjectNode o ? o : JSON.objectNode();
    }

    static List<Map.Entry<String, JsonNode>> sorted(JsonNode v) {
        Map<String, JsonNode> m = new TreeMap<>();
        v.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue()));
        return new ArrayList<>(m.entrySet());
    }

    private static List<String> path(String... parts) {
        return List.of(parts);
    }

    private static List<String> child(List<String> at, String... more) {
        List<String> p = new ArrayList<>(at);
        p.addAll(List.of(more));
        return p;
    }
}
