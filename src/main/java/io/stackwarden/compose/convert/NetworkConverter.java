package io.stackwarden.compose.convert;

import io.stackwarden.compose.engine.StackObject;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Top-level networks to {@code POST /networks/create} bodies, and a service's {@code networks:} to
 * {@code TaskTemplate.Networks}. As in the CLI, only networks some service uses are created; a
 * service without networks uses {@code default}, which needs no declaration and becomes an overlay
 * network {@code <stack>_default}.
 */
final class NetworkConverter {

    static final String DEFAULT_NETWORK = "default";
    private static final String DEFAULT_DRIVER = "overlay";
    private static final Set<String> BUILT_IN = Set.of("default", "bridge", "host", "none");
    private static final Pattern CONTAINER_MODE = Pattern.compile("container:.+");

    private NetworkConverter() {
    }

    record Result(List<StackObject> networks, List<String> externalNames) {
    }

    /** Keys of the networks the services use, {@code default} for services that list none. */
    static Set<String> usedNetworks(JsonNode services) {
        Set<String> used = new TreeSet<>();
        for (String service : Fields.keys(services)) {
            JsonNode networks = services.get(service).get("networks");
            if (networks == null || networks.isNull() || networks.isEmpty()) {
                used.add(DEFAULT_NETWORK);
            } else if (networks.isArray()) {
                networks.forEach(n -> used.add(n.asText()));
            } else {
                networks.fieldNames().forEachRemaining(used::add);
            }
        }
        return used;
    }

    static Result convert(Namespace namespace, JsonNode declared, Set<String> used) {
        List<StackObject> networks = new ArrayList<>();
        Set<String> externals = new TreeSet<>();
        for (String key : used) {
            JsonNode network = declared == null ? null : declared.get(key);
            String where = "networks." + key + ": ";
            if (network != null && !network.isNull() && !network.isObject()) {
                throw new ConvertException(where + "expected a mapping");
            }
            String name = External.engineName(network, key, namespace, where);
            if (External.of(network, where).external()) {
                // Built-in networks exist on every node; the CLI does not look them up.
                if (isUserDefined(name)) {
                    externals.add(name);
                }
                continue;
            }
            networks.add(new StackObject(key, name, createBody(namespace, network, name, where), !External.ownName(network, where)));
        }
        networks.sort(Comparator.comparing(StackObject::name));
        return new Result(networks, List.copyOf(externals));
    }

    private static ObjectNode createBody(Namespace namespace, JsonNode network, String name, String where) {
        ObjectNode body = Json.object();
        body.put("Name", name);
        String driver = Fields.textOr(network, "driver", where, "");
        body.put("Driver", driver.isEmpty() ? DEFAULT_DRIVER : driver);
        body.put("Scope", "");
        JsonNode ipam = Fields.object(network, "ipam", where);
        String ipamDriver = Fields.textOr(ipam, "driver", where + "ipam.", "");
        JsonNode pools = ipam == null ? null : ipam.get("config");
        if (!ipamDriver.isEmpty() || (pools != null && pools.isArray() && !pools.isEmpty())) {
            ObjectNode ipamBody = body.putObject("IPAM");
            ipamBody.put("Driver", ipamDriver);
            if (pools != null && pools.isArray() && !pools.isEmpty()) {
                ArrayNode configs = ipamBody.putArray("Config");
                for (JsonNode pool : pools) {
                    ObjectNode config = configs.addObject();
                    // The CLI's compose types carry the subnet only.
                    Json.putIfNotEmpty(config, "Subnet", Fields.text(pool, "subnet", where + "ipam.config."));
                }
            }
        }
        body.put("Internal", Fields.bool(network, "internal", where));
        body.put("Attachable", Fields.bool(network, "attachable", where));
        body.put("Ingress", false);
        body.put("ConfigOnly", false);
        Map<String, String> options = Fields.stringMap(network, "driver_opts", where);
        if (options != null) {
            body.set("Options", Json.stringMap(options));
        }
        body.set("Labels", Labels.withStack(namespace, Fields.stringMap(network, "labels", where)));
        return body;
    }

    /** A service's attachments, sorted by target, with the service name as an alias where aliases work. */
    static ArrayNode attachments(JsonNode serviceNetworks, JsonNode declared, Namespace namespace,
                                 String service, String where) {
        List<String> keys = new ArrayList<>();
        if (serviceNetworks == null || serviceNetworks.isNull() || serviceNetworks.isEmpty()) {
            keys.add(DEFAULT_NETWORK);
        } else if (serviceNetworks.isArray()) {
            serviceNetworks.forEach(n -> keys.add(n.asText()));
        } else if (serviceNetworks.isObject()) {
            serviceNetworks.fieldNames().forEachRemaining(keys::add);
        } else {
            throw new ConvertException(where + "networks: expected a list or mapping");
        }
        List<ObjectNode> result = new ArrayList<>();
        for (String key : keys) {
            JsonNode network = declared == null ? null : declared.get(key);
            if (network == null && !key.equals(DEFAULT_NETWORK)) {
                throw new ConvertException(where + "networks: undefined network \"" + key + "\"");
            }
            String at = where + "networks." + key + ".";
            JsonNode config = serviceNetworks != null && serviceNetworks.isObject() ? serviceNetworks.get(key) : null;
            if (config != null && !config.isNull() && !config.isObject()) {
                throw new ConvertException(where + "networks." + key + ": expected a mapping");
            }
            String target = External.engineName(network, key, namespace, "networks." + key + ": ");
            List<String> aliases = new ArrayList<>();
            List<String> declaredAliases = Fields.strings(config, "aliases", at);
            if (declaredAliases != null) {
                aliases.addAll(declaredAliases);
            }
            if (isUserDefined(target)) {
                aliases.add(service);
            }
            ObjectNode attachment = Json.object();
            attachment.put("Target", target);
            Json.putIfNotEmpty(attachment, "Aliases", aliases);
            Json.putIfNotEmpty(attachment, "DriverOpts", Fields.stringMap(config, "driver_opts", at));
            result.add(attachment);
        }
        result.sort(Comparator.comparing(a -> a.get("Target").asText()));
        ArrayNode array = Json.array();
        result.forEach(array::add);
        return array;
    }

    /** Docker's NetworkMode.IsUserDefined on Linux: not default/bridge/host/none/container:&lt;id&gt;. */
    static boolean isUserDefined(String name) {
        return !BUILT_IN.contains(name) && !CONTAINER_MODE.matcher(name).matches();
    }
}
