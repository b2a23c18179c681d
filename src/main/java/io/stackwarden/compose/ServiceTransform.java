package io.stackwarden.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static io.stackwarden.compose.GoValues.JSON;
import static io.stackwarden.compose.GoValues.child;
import static io.stackwarden.compose.GoValues.flag;
import static io.stackwarden.compose.GoValues.mapping;
import static io.stackwarden.compose.GoValues.putNonEmpty;
import static io.stackwarden.compose.GoValues.sorted;
import static io.stackwarden.compose.GoValues.stringList;
import static io.stackwarden.compose.GoValues.stringMap;
import static io.stackwarden.compose.GoValues.strings;
import static io.stackwarden.compose.GoValues.text;
import static io.stackwarden.compose.GoValues.texts;

/**
 * One service, its fields written in Go's struct order (the order {@link ComposeMerger} keeps): the scalars
 * and lists here, the larger sections by their own classes. {@code build}, {@code credential_spec} and
 * {@code deploy} are structs in Go, so they are always present.
 */
final class ServiceTransform {

    private final TransformContext cx;
    private final DeployTransform deploy;
    private final HealthcheckTransform healthcheck;
    private final EnvironmentTransform environment;
    private final PortsTransform ports;
    private final ServiceVolumesTransform volumes;

    ServiceTransform(TransformContext cx) {
        this.cx = cx;
        this.deploy = new DeployTransform(cx);
        this.healthcheck = new HealthcheckTransform(cx);
        this.environment = new EnvironmentTransform(cx);
        this.ports = new PortsTransform(cx);
        this.volumes = new ServiceVolumesTransform(cx);
    }

    ObjectNode service(String name, ObjectNode s, List<String> at) throws ComposeException {
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
        o.set("deploy", deploy.deploy(s.get("deploy"), child(at, "deploy")));
        strings(o, "devices", s.get("devices"));
        strings(o, "dns", stringList(s.get("dns")));
        strings(o, "dns_search", stringList(s.get("dns_search")));
        text(o, "domainname", s.get("domainname"));
        command(o, "entrypoint", s.get("entrypoint"), child(at, "entrypoint"));
        JsonNode envFiles = stringList(s.get("env_file"));
        putNonEmpty(o, "environment", environment.environment(s.get("environment"), envFiles, child(at, "env_file")));
        strings(o, "env_file", envFiles);
        if (s.get("expose") instanceof ArrayNode ex && !ex.isEmpty()) {
            ArrayNode a = o.putArray("expose");
            ex.forEach(v -> a.add(GoText.sprint(v)));
        }
        strings(o, "external_links", s.get("external_links"));
        strings(o, "extra_hosts", hosts(s.get("extra_hosts")));
        text(o, "hostname", s.get("hostname"));
        if (s.get("healthcheck") instanceof ObjectNode h) {
            o.set("healthcheck", healthcheck.healthcheck(h, child(at, "healthcheck")));
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
            o.set("logging", HealthcheckTransform.logging(l));
        }
        text(o, "mac_address", s.get("mac_address"));
        text(o, "network_mode", s.get("network_mode"));
        putNonEmpty(o, "networks", networks(s.get("networks")));
        text(o, "pid", s.get("pid"));
        putNonEmpty(o, "ports", ports.ports(s.get("ports"), child(at, "ports")));
        flag(o, "privileged", s.get("privileged"));
        flag(o, "read_only", s.get("read_only"));
        text(o, "restart", s.get("restart"));
        putNonEmpty(o, "secrets", fileReferences(s.get("secrets"), child(at, "secrets")));
        strings(o, "security_opt", s.get("security_opt"));
        if (s.has("shm_size") && !s.get("shm_size").isNull()) {
            if (!s.get("shm_size").isTextual()) {
                throw cx.lines().error(child(at, "shm_size"), "services." + name
                        + ".shm_size: expected type 'string', got a number");
            }
            text(o, "shm_size", s.get("shm_size"));
        }
        flag(o, "stdin_open", s.get("stdin_open"));
        cx.duration(o, "stop_grace_period", s.get("stop_grace_period"), true, child(at, "stop_grace_period"));
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
        putNonEmpty(o, "volumes", volumes.volumes(s.get("volumes"), child(at, "volumes")));
        text(o, "working_dir", s.get("working_dir"));
        return o;
    }

    private static ObjectNode build(JsonNode b) {
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

    /** {@code command} and {@code entrypoint}: a string is split the shell's way, an empty result left out. */
    private void command(ObjectNode o, String key, JsonNode v, List<String> at) throws ComposeException {
        if (v == null || v.isNull()) {
            return;
        }
        List<String> words;
        if (v.isTextual()) {
            try {
                words = Shlex.split(v.textValue());
            } catch (IllegalArgumentException e) {
                throw cx.lines().error(at, SourceMap.dotted(at) + ": " + e.getMessage());
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

    /** A service's {@code configs} or {@code secrets}: a bare name becomes {@code source}. */
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
                long mode = cx.unsigned(item.get("mode"), child(child(at, Integer.toString(i)), "mode"), 0xFFFFFFFFL);
                r.put("mode", mode);
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

    private static ObjectNode networks(JsonNode v) {
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

    private static ObjectNode ulimits(JsonNode v) {
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
}
