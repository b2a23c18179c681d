package io.stackwarden.parity;

import io.stackwarden.compose.engine.StackLabels;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.stackwarden.reconcile.ContentNames;
import io.stackwarden.reconcile.Ownership;
import io.stackwarden.swarm.EngineApi;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The inspect output of every service, network, config and secret of one stack, normalised so that two
 * deploys of the same files under different stack names compare equal: IDs, versions and timestamps are
 * dropped, references by ID are mapped back to names, Stackwarden's own labels are dropped, content-named
 * configs and secrets get back the CLI's {@code <stack>_<key>} (found by their key label), and the stack
 * names are replaced by {@code <stack>}. Subnets the swarm allocated from its default pool and the VXLAN IDs
 * of overlay networks are replaced by {@code <allocated>}; subnets a file asks for are kept.
 */
final class StackSnapshot {

    static final String PLACEHOLDER = "<stack>";
    static final String ALLOCATED = "<allocated>";
    private static final String VXLAN = "com.docker.network.driver.overlay.vxlanid_list";
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final List<String> NETWORK_FIELDS = List.of(
            "Name", "Driver", "Options", "IPAM", "Internal", "Attachable", "Ingress", "Labels", "Scope", "EnableIPv6",
            "ConfigOnly", "ConfigFrom");

    /** Normalised objects by {@code "<kind> <normalised name>"}. */
    final Map<String, JsonNode> objects;
    /** Raw service inspect answers by engine name. */
    final Map<String, JsonNode> services;

    private StackSnapshot(Map<String, JsonNode> objects, Map<String, JsonNode> services) {
        this.objects = objects;
        this.services = services;
    }

    static StackSnapshot take(EngineApi api, String stack, List<String> stackNames) {
        Pattern names = Pattern.compile("(?<![A-Za-z0-9])(" + String.join("|", stackNames) + ")(?![A-Za-z0-9])");
        String filter = filter("label", StackLabels.NAMESPACE + "=" + stack);
        Map<String, String> networkNames = new HashMap<>();
        for (JsonNode network : api.get("/networks")) {
            networkNames.put(network.path("Id").asText(), network.path("Name").asText());
        }
        List<String> pools = new ArrayList<>();
        api.get("/swarm").path("DefaultAddrPool").forEach(pool -> pools.add(pool.asText()));
        if (pools.isEmpty()) {
            pools.add("10.0.0.0/8");
        }
        Map<String, JsonNode> objects = new TreeMap<>();
        Map<String, JsonNode> services = new TreeMap<>();
        // Configs and secrets first: their content names (parity.md row 11) are mapped back to <stack>_<key>.
        Map<String, String> contentNames = new HashMap<>();
        Map<String, String> configNamesById = new HashMap<>();
        for (String kind : List.of("secret", "config")) {
            for (JsonNode item : api.get("/" + kind + "s?filters=" + filter)) {
                ObjectNode spec = item.path("Spec").deepCopy();
                String key = spec.path("Labels").path(Ownership.OBJECT_KEY).asText("");
                if (!key.isEmpty()) {
                    String scoped = scopedName(stack, key, spec.path("Name").asText());
                    contentNames.put(kind + "/" + spec.path("Name").asText(), scoped);
                    spec.put("Name", scoped);
                }
                dropOwnLabels(spec.path("Labels"));
                if (kind.equals("config")) {
                    configNamesById.put(item.path("ID").asText(), spec.path("Name").asText());
                }
                put(objects, kind, spec, names);
            }
        }
        for (JsonNode item : api.get("/services?filters=" + filter)) {
            ObjectNode spec = item.path("Spec").deepCopy();
            services.put(spec.path("Name").asText(), item);
            dropOwnLabels(spec.path("Labels"));
            for (JsonNode attachments : List.of(spec.at("/TaskTemplate/Networks"), spec.path("Networks"))) {
                for (JsonNode attachment : attachments) {
                    String target = attachment.path("Target").asText();
                    ((ObjectNode) attachment).put("Target", networkNames.getOrDefault(target, target));
                }
            }
            spec.at("/TaskTemplate/ContainerSpec/Secrets").forEach(ref -> ((ObjectNode) ref).remove("SecretID"));
            spec.at("/TaskTemplate/ContainerSpec/Configs").forEach(ref -> ((ObjectNode) ref).remove("ConfigID"));
            // A credential spec names its config by ID (the CLI looks it up among the service's config references).
            if (spec.at("/TaskTemplate/ContainerSpec/Privileges/CredentialSpec") instanceof ObjectNode credentials
                    && credentials.hasNonNull("Config")) {
                String id = credentials.get("Config").asText();
                credentials.put("Config", configNamesById.getOrDefault(id, id));
            }
            rename(spec.at("/TaskTemplate/ContainerSpec/Secrets"), "SecretName", "secret", contentNames);
            rename(spec.at("/TaskTemplate/ContainerSpec/Configs"), "ConfigName", "config", contentNames);
            // The CLI sorts references by name only, with Go's unstable sort: two references to one object
            // come in either order. Order them by name and target on both sides.
            sortReferences(spec.at("/TaskTemplate/ContainerSpec/Secrets"), "SecretName");
            sortReferences(spec.at("/TaskTemplate/ContainerSpec/Configs"), "ConfigName");
            put(objects, "service", spec, names);
        }
        for (JsonNode item : api.get("/networks?filters=" + filter)) {
            ObjectNode network = JSON.objectNode();
            NETWORK_FIELDS.stream().filter(item::has).forEach(field -> network.set(field, item.get(field).deepCopy()));
            dropOwnLabels(network.path("Labels"));
            for (JsonNode config : network.at("/IPAM/Config")) {
                String subnet = config.path("Subnet").asText("");
                if (!subnet.isEmpty() && pools.stream().anyMatch(pool -> Cidr.inside(subnet, pool))) {
                    ((ObjectNode) config).put("Subnet", ALLOCATED);
                    if (config.has("Gateway")) {
                        ((ObjectNode) config).put("Gateway", ALLOCATED);
                    }
                }
            }
            if (network.path("Options").has(VXLAN)) {
                ((ObjectNode) network.get("Options")).put(VXLAN, ALLOCATED);
            }
            put(objects, "network", network, names);
        }
        return new StackSnapshot(objects, services);
    }

    /**
     * The name the CLI gives the config or secret {@code key} of {@code stack}, after checking that Stackwarden's
     * name for it is the content name: {@code <stack>_<key>}, cut to leave room, then {@code _} and ten hex digits.
     */
    private static String scopedName(String stack, String key, String contentName) {
        String scoped = stack + "_" + key;
        String prefix = scoped.substring(0, Math.min(scoped.length(), ContentNames.MAX_NAME - 11));
        if (!contentName.matches(Pattern.quote(prefix) + "_[0-9a-f]{10}")) {
            throw new AssertionError("not a content name for " + key + " of " + stack + ": " + contentName);
        }
        return scoped;
    }

    private static void rename(JsonNode references, String field, String kind, Map<String, String> contentNames) {
        for (JsonNode reference : references) {
            String scoped = contentNames.get(kind + "/" + reference.path(field).asText());
            if (scoped != null) {
                ((ObjectNode) reference).put(field, scoped);
            }
        }
    }

    private static void put(Map<String, JsonNode> objects, String kind, ObjectNode spec, Pattern names) {
        JsonNode normalised = replaceNames(spec, names);
        objects.put(kind + " " + normalised.path("Name").asText(), normalised);
    }

    private static void dropOwnLabels(JsonNode labels) {
        if (labels instanceof ObjectNode object) {
            List<String> own = new ArrayList<>();
            object.fieldNames().forEachRemaining(name -> {
                if (name.startsWith("io.stackwarden.")) {
                    own.add(name);
                }
            });
            object.remove(own);
        }
    }

    static JsonNode replaceNames(JsonNode node, Pattern names) {
        if (node.isTextual()) {
            return TextNode.valueOf(names.matcher(node.asText()).replaceAll(PLACEHOLDER));
        }
        if (node.isObject()) {
            ObjectNode out = JSON.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                out.set(names.matcher(entry.getKey()).replaceAll(PLACEHOLDER), replaceNames(entry.getValue(), names));
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JSON.arrayNode();
            node.forEach(item -> out.add(replaceNames(item, names)));
            return out;
        }
        return node;
    }

    static String filter(String name, String value) {
        ObjectNode filters = JSON.objectNode();
        filters.putArray(name).add(value);
        return URLEncoder.encode(filters.toString(), StandardCharsets.UTF_8);
    }

    /** IPv4/IPv6 CIDR containment, enough to tell an allocated subnet from a requested one. */
    static final class Cidr {
        private Cidr() {
        }

        static boolean inside(String subnet, String pool) {
            try {
                String[] s = subnet.split("/");
                String[] p = pool.split("/");
                byte[] a = java.net.InetAddress.getByName(s[0]).getAddress();
                byte[] b = java.net.InetAddress.getByName(p[0]).getAddress();
                int bits = Integer.parseInt(p[1]);
                if (a.length != b.length || Integer.parseInt(s[1]) < bits) {
                    return false;
                }
                for (int i = 0; i < bits; i++) {
                    int mask = 0x80 >> (i % 8);
                    if ((a[i / 8] & mask) != (b[i / 8] & mask)) {
                        return false;
                    }
                }
                return true;
            } catch (Exception e) {
                return false;
            }
        }
    }

    private static void sortReferences(JsonNode references, String nameField) {
        if (references instanceof com.fasterxml.jackson.databind.node.ArrayNode array && array.size() > 1) {
            List<JsonNode> items = new ArrayList<>();
            array.forEach(items::add);
            items.sort(java.util.Comparator.comparing((JsonNode ref) -> ref.path(nameField).asText())
                    .thenComparing(ref -> ref.at("/File/Name").asText()));
            array.removeAll();
            items.forEach(array::add);
        }
    }
}
