package io.stackwarden.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwarden.compose.engine.StackObject;
import io.stackwarden.compose.engine.StackObjects;
import io.stackwarden.swarm.ObjectKey;
import io.stackwarden.swarm.SwarmObject;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Swarm configs and secrets are immutable: only their labels can be updated. So every config and secret a
 * stack creates under its scoped name is named by its content instead, {@code <stack>_<key>_<hash>}: a changed
 * file is a new object, the services that use it are pointed at the new name, and their own
 * {@code update_config} rolls the tasks. An unchanged file keeps its name, so nothing is written.
 *
 * <p>The hash covers what makes the object different and cannot be updated in place: the data, the
 * templating driver (a template is rendered differently) and a secret's driver with its options (which
 * supply the data). Labels are left out: the engine updates them in place without touching a task. It is
 * salted with the stack and the key, and cut to {@value #HASH_LENGTH} hex digits, because {@code docker
 * secret ls} shows it. Objects with their own {@code name:} and external ones are left as they are named.
 */
public final class ContentNames {

    /** Swarm's limit for config and secret names (swarmkit's {@code validateConfigOrSecretAnnotations}). */
    public static final int MAX_NAME = 64;
    static final int HASH_LENGTH = 10;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ContentNames() {
    }

    /**
     * The content name: {@code <stack>_<key>_<hash>}, with {@code <stack>_<key>} cut to fit {@link #MAX_NAME}.
     * A cut name stays unique because the hash covers the whole stack name and key. Swarm wants
     * {@code [a-zA-Z0-9][a-zA-Z0-9-_.]*[a-zA-Z0-9]}; stack names and compose keys only use those characters,
     * and the name starts with the stack name and ends with the hash.
     */
    public static String name(String stack, String key, JsonNode spec) {
        String prefix = stack + "_" + key;
        int room = MAX_NAME - 1 - HASH_LENGTH;
        return (prefix.length() > room ? prefix.substring(0, room) : prefix) + "_" + hash(stack, key, spec);
    }

    static String hash(String stack, String key, JsonNode spec) {
        ArrayNode input = JSON.createArrayNode().add(stack).add(key).add(spec.path("Data").asText(""));
        driver(input, spec.path("Templating"));
        driver(input, spec.path("Driver"));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(input.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, HASH_LENGTH);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    /** A driver's name and its options, sorted: the order of options in a file does not make another object. */
    private static void driver(ArrayNode input, JsonNode driver) {
        input.add(driver.path("Name").asText(""));
        Map<String, String> options = new TreeMap<>();
        driver.path("Options").fields().forEachRemaining(e -> options.put(e.getKey(), e.getValue().asText()));
        options.forEach((k, v) -> input.add(k).add(v));
    }

    /**
     * The converted stack with every stack-scoped config and secret renamed by content and labelled with its
     * key, and every service reference to them (files and credential spec) renamed too.
     */
    static StackObjects apply(String stack, StackObjects converted) {
        Map<ObjectKey, String> renamed = new HashMap<>(); // scoped name -> content name
        List<StackObject> secrets = named(stack, SwarmObject.Kind.SECRET, converted.secrets(), renamed);
        List<StackObject> configs = named(stack, SwarmObject.Kind.CONFIG, converted.configs(), renamed);
        if (renamed.isEmpty()) {
            return converted;
        }
        List<StackObject> services = converted.services().stream()
                .map(s -> new StackObject(s.key(), s.name(), references(s.spec(), renamed), s.scoped())).toList();
        return new StackObjects(converted.networks(), secrets, configs, services, converted.externalNetworks(),
                converted.externalSecrets(), converted.externalConfigs());
    }

    private static List<StackObject> named(String stack, SwarmObject.Kind kind, List<StackObject> objects,
                                           Map<ObjectKey, String> renamed) {
        List<StackObject> result = new ArrayList<>();
        for (StackObject object : objects) {
            if (!object.scoped()) {
                result.add(object);
                continue;
            }
            String name = name(stack, object.key(), object.spec());
            ObjectNode spec = object.spec().deepCopy();
            spec.put("Name", name);
            spec.with("Labels").put(Ownership.OBJECT_KEY, object.key());
            renamed.put(new ObjectKey(kind, object.name()), name);
            result.add(new StackObject(object.key(), name, spec, true));
        }
        result.sort(Comparator.comparing(StackObject::name));
        return result;
    }

    private static ObjectNode references(ObjectNode spec, Map<ObjectKey, String> renamed) {
        ObjectNode copy = spec.deepCopy();
        JsonNode container = copy.at("/TaskTemplate/ContainerSpec");
        rename(container.path("Secrets"), "SecretName", SwarmObject.Kind.SECRET, renamed);
        rename(container.path("Configs"), "ConfigName", SwarmObject.Kind.CONFIG, renamed);
        if (container.at("/Privileges/CredentialSpec") instanceof ObjectNode credentialSpec && credentialSpec.hasNonNull("Config")) {
            String name = renamed.get(new ObjectKey(SwarmObject.Kind.CONFIG, credentialSpec.get("Config").asText()));
            if (name != null) {
                credentialSpec.put("Config", name);
            }
        }
        return copy;
    }

    /** Renames the references and sorts them by name again, as the converter (and the CLI) sort them. */
    private static void rename(JsonNode references, String field, SwarmObject.Kind kind, Map<ObjectKey, String> renamed) {
        if (!(references instanceof ArrayNode array) || array.isEmpty()) {
            return;
        }
        List<JsonNode> items = new ArrayList<>();
        for (JsonNode reference : array) {
            if (reference instanceof ObjectNode object && object.hasNonNull(field)) {
                String name = renamed.get(new ObjectKey(kind, object.get(field).asText()));
                if (name != null) {
                    object.put(field, name);
                }
            }
            items.add(reference);
        }
        items.sort(Comparator.comparing(reference -> reference.path(field).asText()));
        array.removeAll();
        items.forEach(array::add);
    }
}
