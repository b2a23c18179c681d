package io.stackwarden.compose;

import io.stackwarden.compose.engine.ImageReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Loads a stack's compose files into docker/cli's model JSON, doing what {@code docker stack deploy}
 * does before it talks to the engine: parse, refuse forbidden keys, interpolate, validate against the
 * file format, build the model, merge the files in order, warn about options Swarm ignores, and check
 * every service names a valid image. Plain Java, no CDI: one instance can load any number of stacks.
 */
public final class ComposeLoader {

    /** Variable always set to the stack's name, whatever the caller's variables say. */
    public static final String STACK_NAME = "STACK_NAME";

    /** Options {@code docker stack deploy} accepts but ignores (it prints them as "unsupported"). */
    static final List<String> UNSUPPORTED = List.of("build", "cgroupns_mode", "cgroup_parent", "devices",
            "domainname", "external_links", "ipc", "links", "mac_address", "network_mode", "pid", "privileged",
            "restart", "security_opt", "shm_size", "userns_mode");

    /** Options removed from the v3 format but harmless; the CLI names them with this advice. */
    static final Map<String, String> DEPRECATED = Map.of(
            "container_name", "Setting the container name is not supported.",
            "expose", "Exposing ports is unnecessary - services on the same network can access each other's "
                    + "containers on any port.");

    /** Options the CLI refuses outright, with its advice. */
    static final Map<String, String> FORBIDDEN = Map.of(
            "extends", "Support for `extends` is not implemented yet.",
            "volume_driver", "Instead of setting the volume driver on the service, define a volume using the "
                    + "top-level `volumes` option and specify the driver there.",
            "volumes_from", "To share a volume between services, define it using the top-level `volumes` option "
                    + "and reference it from each service that shares it using the service-level `volumes` option.",
            "cpu_quota", "Set resource limits using deploy.resources",
            "cpu_shares", "Set resource limits using deploy.resources",
            "cpuset", "Set resource limits using deploy.resources",
            "mem_limit", "Set resource limits using deploy.resources",
            "memswap_limit", "Set resource limits using deploy.resources");

    public LoadedStack load(StackInput input) throws ComposeException {
        Redaction redaction = new Redaction();
        try {
            return load(input, redaction);
        } catch (ComposeException e) {
            throw redaction.apply(e);
        }
    }

    /** Loads, noting in {@code redaction} the values interpolation put in; errors are not yet redacted. */
    LoadedStack load(StackInput input, Redaction redaction) throws ComposeException {
        if (input.composeFiles().isEmpty()) {
            throw new ComposeException((String) null, 0, "stack " + input.name() + ": no compose file specified");
        }
        Map<String, String> variables = new HashMap<>(input.variables());
        variables.put(STACK_NAME, input.name());
        PathGuard guard = new PathGuard(input.rootDir());
        Path stackDir = input.stackDir().toAbsolutePath().normalize();

        LoadBudget budget = new LoadBudget();
        List<String> warnings = new ArrayList<>();
        List<ObjectNode> models = new ArrayList<>();
        List<ObjectNode> rawFiles = new ArrayList<>();
        Map<String, ServiceExtension> extensions = new TreeMap<>();
        String firstVersion = null;
        for (Path file : input.composeFiles()) {
            Path abs = stackDir.resolve(file).toAbsolutePath().normalize();
            String label = guard.show(abs);
            byte[] bytes;
            try {
                bytes = guard.read(abs, FileKind.COMPOSE);
            } catch (FileRefused e) {
                throw new ComposeException(label, 0, e.detail());
            }
            YamlReader.Parsed parsed = YamlReader.read(label, bytes, budget);
            if (!(parsed.root() instanceof ObjectNode root)) {
                throw new ComposeException(label, 0, "top-level object must be a mapping");
            }
            SourceMap lines = parsed.lines();
            String version = version(root);
            if (firstVersion == null) {
                firstVersion = version;
            } else if (!firstVersion.equals(version)) {
                throw new ComposeException(label, lines.line(List.of("version")),
                        "version mismatched between two composefiles : " + firstVersion + " and " + version);
            }
            forbidden(root, lines);
            rawFiles.add(root);
            ObjectNode interpolated = Interpolator.interpolate(root, variables, lines, budget, redaction);
            SchemaCheck.validate(interpolated, version, lines);
            ServiceExtension.read(interpolated, lines, extensions);
            ObjectNode model = new ModelTransform(version, stackDir, guard, variables, lines, warnings).config(interpolated);
            input.bindPolicy().check(input.name(), model, lines);
            models.add(model);
        }
        ObjectNode config = models.size() == 1 ? models.get(0) : ComposeMerger.merge(models);

        List<String> all = new ArrayList<>();
        String unsupported = unsupported(rawFiles);
        if (unsupported != null) {
            all.add(unsupported);
        }
        String deprecated = deprecated(rawFiles);
        if (deprecated != null) {
            all.add(deprecated);
        }
        all.addAll(warnings);
        checkImages(config, guard.show(stackDir.resolve(input.composeFiles().get(0))));
        return new LoadedStack(input.name(), (ObjectNode) canonicalNumbers(config), all, extensions);
    }

    /** Integers as a JSON parser would read them back (int when it fits), so trees compare equal. */
    static JsonNode canonicalNumbers(JsonNode v) {
        if (v.isObject()) {
            ObjectNode o = (ObjectNode) v;
            List<String> keys = new ArrayList<>();
            o.fieldNames().forEachRemaining(keys::add);
            keys.forEach(k -> o.set(k, canonicalNumbers(o.get(k))));
            return o;
        }
        if (v.isArray()) {
            for (int i = 0; i < v.size(); i++) {
                ((com.fasterxml.jackson.databind.node.ArrayNode) v).set(i, canonicalNumbers(v.get(i)));
            }
            return v;
        }
        if (v.isIntegralNumber() && v.canConvertToInt()) {
            return com.fasterxml.jackson.databind.node.IntNode.valueOf(v.intValue());
        }
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return com.fasterxml.jackson.databind.node.LongNode.valueOf(v.longValue());
        }
        return v;
    }

    /** The file's format version as the CLI normalises it: absent or "3" mean the latest. */
    static String version(ObjectNode root) {
        JsonNode v = root.get("version");
        if (v == null) {
            return SchemaCheck.LATEST;
        }
        String s = GoText.sprint(v);
        return s.isEmpty() || s.equals("3") ? SchemaCheck.LATEST : s;
    }

    private static void forbidden(ObjectNode root, SourceMap lines) throws ComposeException {
        if (!(root.get("services") instanceof ObjectNode services)) {
            return;
        }
        Map<String, String> found = new TreeMap<>();
        int line = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = services.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue() instanceof ObjectNode svc) {
                for (String key : FORBIDDEN.keySet()) {
                    if (svc.has(key)) {
                        found.put(key, FORBIDDEN.get(key));
                        if (line == 0) {
                            line = lines.line(List.of("services", e.getKey(), key));
                        }
                    }
                }
            }
        }
        if (!found.isEmpty()) {
            List<String> msgs = new ArrayList<>();
            found.forEach((k, v) -> msgs.add(k + ": " + v));
            throw new ComposeException(lines.file(), line, "compose file contains unsupported options:\n\n"
                    + String.join("\n\n", msgs) + "\n");
        }
    }

    private static String unsupported(List<ObjectNode> files) {
        TreeSet<String> found = new TreeSet<>();
        for (ObjectNode root : files) {
            for (JsonNode svc : services(root)) {
                UNSUPPORTED.stream().filter(svc::has).forEach(found::add);
            }
        }
        return found.isEmpty() ? null : "Ignoring unsupported options: " + String.join(", ", found);
    }

    private static String deprecated(List<ObjectNode> files) {
        TreeMap<String, String> found = new TreeMap<>();
        for (ObjectNode root : files) {
            for (JsonNode svc : services(root)) {
                DEPRECATED.forEach((k, v) -> {
                    if (svc.has(k)) {
                        found.put(k, v);
                    }
                });
            }
        }
        if (found.isEmpty()) {
            return null;
        }
        List<String> msgs = new ArrayList<>();
        found.forEach((k, v) -> msgs.add(k + ": " + v));
        return "Ignoring deprecated options:\n\n" + String.join("\n\n", msgs);
    }

    private static List<JsonNode> services(ObjectNode root) {
        List<JsonNode> out = new ArrayList<>();
        if (root.get("services") instanceof ObjectNode s) {
            s.forEach(svc -> {
                if (svc.isObject()) {
                    out.add(svc);
                }
            });
        }
        return out;
    }

    private static void checkImages(ObjectNode config, String firstFile) throws ComposeException {
        Map<String, JsonNode> services = new LinkedHashMap<>();
        config.get("services").fields().forEachRemaining(e -> services.put(e.getKey(), e.getValue()));
        for (Map.Entry<String, JsonNode> e : new TreeMap<>(services).entrySet()) {
            String problem = ImageReference.problem(e.getValue().path("image").asText(""));
            if (problem != null) {
                throw new ComposeException(firstFile, 0,
                        "invalid image reference for service " + e.getKey() + ": " + problem);
            }
        }
    }
}
