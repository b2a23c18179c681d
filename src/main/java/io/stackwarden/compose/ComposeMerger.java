package io.stackwarden.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Merges loaded files in order like {@code docker stack deploy -c a.yml -c b.yml} (docker/cli's mergo
 * rules): services merge field by field (later non-empty values win, lists are appended, maps merge
 * per key); ports merge by published port, secrets and configs by source, volumes by target (then sorted
 * by that key, so several unpublished ports collapse, as in the CLI) when the first file has the list;
 * {@code command}/{@code entrypoint} are replaced; logging options merge while the driver stays the same;
 * networks, volumes, secrets and configs are replaced whole per name. Version and {@code x-} fields come
 * from the first file only. Relative paths of every file resolve against the first file's folder (the
 * caller's {@link StackInput#stackDir()}).
 */
final class ComposeMerger {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** Go pointer fields whose explicit zero still overrides (the CLI's uint64 transformer). */
    private static final Set<String> ZERO_OVERRIDES = Set.of("replicas", "parallelism", "max_attempts", "retries");
    /** Go {@code map[string]string} fields (service, deploy and build labels, sysctls): every later value is set. */
    private static final Set<String> STRING_MAPS = Set.of("labels", "sysctls");

    private ComposeMerger() {
    }

    static ObjectNode merge(List<ObjectNode> configs) {
        ObjectNode base = configs.get(0).deepCopy();
        for (ObjectNode override : configs.subList(1, configs.size())) {
            ObjectNode services = (ObjectNode) base.get("services");
            for (Iterator<Map.Entry<String, JsonNode>> it = override.get("services").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (services.get(e.getKey()) instanceof ObjectNode existing) {
                    service(existing, (ObjectNode) e.getValue());
                } else {
                    services.set(e.getKey(), e.getValue().deepCopy());
                }
            }
            base.set("services", sortedCopy(services));
            for (String section : List.of("networks", "volumes", "secrets", "configs")) {
                if (override.get(section) instanceof ObjectNode o) {
                    ObjectNode target = base.get(section) instanceof ObjectNode b ? b : JSON.objectNode();
                    o.fields().forEachRemaining(e -> target.set(e.getKey(), e.getValue().deepCopy()));
                    base.set(section, sortedCopy(target));
                }
            }
        }
        return reorderTop(base);
    }

    private static void service(ObjectNode dst, ObjectNode src) {
        for (Iterator<Map.Entry<String, JsonNode>> it = src.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            JsonNode s = e.getValue();
            switch (key) {
                case "command", "entrypoint" -> dst.set(key, s.deepCopy());
                case "ports" -> keyedOrTaken(dst, key, s, "published");
                case "secrets", "configs" -> keyedOrTaken(dst, key, s, "source");
                case "volumes" -> keyedOrTaken(dst, key, s, "target");
                case "environment" -> environment(dst, (ObjectNode) s);
                case "logging" -> logging(dst, (ObjectNode) s);
                case "networks" -> serviceNetworks(dst, (ObjectNode) s);
                case "ulimits" -> ulimits(dst, (ObjectNode) s);
                default -> deep(dst, key, s);
            }
        }
        // The CLI's keyed merge also runs when only the base file lists them, collapsing duplicate keys.
        for (String[] k : new String[][]{{"ports", "published"}, {"secrets", "source"}, {"configs", "source"},
                {"volumes", "target"}}) {
            if (!src.has(k[0]) && dst.has(k[0])) {
                keyed(dst, k[0], JSON.arrayNode(), k[1]);
            }
        }
        sortFields(dst);
    }

    /** mergo's default: structs and maps recurse, lists append, non-zero scalars override. */
    private static void deep(ObjectNode dst, String key, JsonNode s) {
        JsonNode d = dst.get(key);
        if (s.isNull()) {
            if (d == null) {
                dst.putNull(key);
            }
            return;
        }
        if (d == null || d.isNull()) {
            dst.set(key, s.deepCopy());
            return;
        }
        if (s.isObject() && d.isObject() && STRING_MAPS.contains(key)) {
            ((ObjectNode) d).setAll((ObjectNode) s.deepCopy()); // map[string]string: an empty value wins too
            return;
        }
        if (s.isObject() && d.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = s.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                deep((ObjectNode) d, e.getKey(), e.getValue());
            }
            return;
        }
        if (s.isArray() && d.isArray()) {
            ((ArrayNode) d).addAll(((ArrayNode) s).deepCopy());
            return;
        }
        if (isZero(s) && !ZERO_OVERRIDES.contains(key)) {
            return;
        }
        dst.set(key, s.deepCopy());
    }

    private static boolean isZero(JsonNode s) {
        return (s.isTextual() && (s.textValue().isEmpty() || s.textValue().equals("0s")))
                || (s.isBoolean() && !s.booleanValue()) || (s.isNumber() && s.doubleValue() == 0);
    }

    /**
     * mergo calls the CLI's list transformers only when the first file's list exists: without one, the later
     * file's list is taken as written (its order and its duplicate keys kept).
     */
    private static void keyedOrTaken(ObjectNode dst, String key, JsonNode s, String by) {
        if (dst.get(key) == null) {
            dst.set(key, s.deepCopy());
        } else {
            keyed(dst, key, s, by);
        }
    }

    /**
     * {@code environment} is a map of string pointers: a variable the first file sets to a non-empty value is
     * replaced only by a non-empty one; an empty or valueless one takes what the later file says, valueless too.
     */
    private static void environment(ObjectNode dst, ObjectNode src) {
        ObjectNode d = dst.get("environment") instanceof ObjectNode n ? n : dst.putObject("environment");
        src.fields().forEachRemaining(e -> {
            JsonNode before = d.get(e.getKey());
            boolean set = before != null && !before.isNull() && !before.textValue().isEmpty();
            if (!set || (!e.getValue().isNull() && !e.getValue().textValue().isEmpty())) {
                d.set(e.getKey(), e.getValue());
            }
        });
    }

    /** Lists the CLI merges as maps: entries of the override replace those with the same key; sorted by key. */
    private static void keyed(ObjectNode dst, String key, JsonNode s, String by) {
        Map<String, JsonNode> merged = new LinkedHashMap<>();
        Comparator<String> order = by.equals("published")
                ? Comparator.comparingLong(Long::parseLong) : Comparator.naturalOrder();
        for (JsonNode list : new JsonNode[]{dst.get(key), s}) {
            if (list != null) {
                for (JsonNode item : list) {
                    JsonNode k = item.get(by);
                    merged.put(k == null ? (by.equals("published") ? "0" : "") : k.asText(), item.deepCopy());
                }
            }
        }
        ArrayNode out = JSON.arrayNode();
        merged.keySet().stream().sorted(order).forEach(k -> out.add(merged.get(k)));
        dst.set(key, out);
    }

    private static void logging(ObjectNode dst, ObjectNode src) {
        if (!(dst.get("logging") instanceof ObjectNode d)) {
            dst.set("logging", src.deepCopy());
            return;
        }
        String dd = d.path("driver").asText("");
        String sd = src.path("driver").asText("");
        if (dd.equals(sd) || dd.isEmpty() || sd.isEmpty()) {
            if (dd.isEmpty() && !sd.isEmpty()) {
                d.put("driver", sd);
            }
            // The CLI merges into a copy of the first file's options map: when it has none, the copy is a new
            // map that is dropped, and so are the later file's options.
            if (src.get("options") instanceof ObjectNode so && d.get("options") instanceof ObjectNode opts) {
                so.fields().forEachRemaining(e -> opts.set(e.getKey(), e.getValue()));
            }
            dst.set("logging", reorder(d, List.of("driver", "options")));
        } else {
            dst.set("logging", src.deepCopy());
        }
    }

    /** Per network: aliases taken from the override (even when it has none or is {}), addresses when set. */
    private static void serviceNetworks(ObjectNode dst, ObjectNode src) {
        ObjectNode d = dst.get("networks") instanceof ObjectNode n ? n : dst.putObject("networks");
        src.fields().forEachRemaining(e -> {
            JsonNode s = e.getValue();
            JsonNode existing = d.get(e.getKey());
            if (existing == null || existing.isNull()) {
                d.set(e.getKey(), s.deepCopy());
            } else if (s.isObject()) { // even {}: a non-nil config, so the aliases go
                ObjectNode x = (ObjectNode) existing;
                if (s.has("aliases")) {
                    x.set("aliases", s.get("aliases").deepCopy());
                } else {
                    x.remove("aliases");
                }
                for (String addr : List.of("ipv4_address", "ipv6_address")) {
                    if (s.hasNonNull(addr)) {
                        x.set(addr, s.get(addr));
                    }
                }
                d.set(e.getKey(), reorder(x, List.of("aliases", "driver_opts", "ipv4_address", "ipv6_address")));
            }
        });
        dst.set("networks", sortedCopy(d));
    }

    private static void ulimits(ObjectNode dst, ObjectNode src) {
        ObjectNode d = dst.get("ulimits") instanceof ObjectNode n ? n : dst.putObject("ulimits");
        // A pointer per name: whatever the later file says replaces the whole limit, zero values included.
        src.fields().forEachRemaining(e -> d.set(e.getKey(), e.getValue().deepCopy()));
        dst.set("ulimits", sortedCopy(d));
    }

    /** Keeps Go's struct field order for services: the order ModelTransform writes. */
    private static final List<String> SERVICE_ORDER = List.of("build", "cap_add", "cap_drop", "cgroupns_mode",
            "cgroup_parent", "command", "configs", "container_name", "credential_spec", "depends_on", "deploy",
            "devices", "dns", "dns_search", "domainname", "entrypoint", "environment", "env_file", "expose",
            "external_links", "extra_hosts", "hostname", "healthcheck", "image", "init", "ipc", "isolation",
            "labels", "links", "logging", "mac_address", "network_mode", "networks", "pid", "ports", "privileged",
            "read_only", "restart", "secrets", "security_opt", "shm_size", "stdin_open", "stop_grace_period",
            "stop_signal", "sysctls", "tmpfs", "tty", "ulimits", "user", "oom_score_adj", "userns_mode", "volumes",
            "working_dir");

    private static void sortFields(ObjectNode service) {
        ObjectNode ordered = reorder(service, SERVICE_ORDER);
        if (ordered.get("environment") instanceof ObjectNode env) {
            ordered.set("environment", sortedCopy(env));
        }
        for (String map : List.of("labels", "sysctls")) {
            if (ordered.get(map) instanceof ObjectNode m) {
                ordered.set(map, sortedCopy(m));
            }
        }
        service.removeAll();
        service.setAll(ordered);
    }

    private static ObjectNode reorder(ObjectNode v, List<String> order) {
        ObjectNode out = JSON.objectNode();
        order.forEach(k -> {
            if (v.has(k)) {
                out.set(k, v.get(k));
            }
        });
        v.fields().forEachRemaining(e -> {
            if (!out.has(e.getKey())) {
                out.set(e.getKey(), e.getValue());
            }
        });
        return out;
    }

    private static ObjectNode sortedCopy(ObjectNode v) {
        ObjectNode out = JSON.objectNode();
        GoValues.sorted(v).forEach(e -> out.set(e.getKey(), e.getValue()));
        return out;
    }

    private static ObjectNode reorderTop(ObjectNode base) {
        return reorder(base, List.of("version", "services", "networks", "volumes", "secrets", "configs"));
    }
}
