package io.stackwarden.compose.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Service {@code volumes:} to {@code ContainerSpec.Mounts}, with the CLI's rules per type: named
 * volumes must be declared at the top level and get the stack-scoped (or {@code name:}) source, the
 * stack label and the declared driver; external ones only the name. Options of another type are
 * refused. Top-level volumes are never created up front: the engine creates them from the mount.
 */
final class MountConverter {

    private static final List<String> OPTION_KEYS = List.of("bind", "volume", "image", "tmpfs", "cluster");
    private static final Set<String> PROPAGATIONS = Set.of("rprivate", "private", "rshared", "shared", "rslave", "slave");

    private MountConverter() {
    }

    static ArrayNode convert(JsonNode volumes, JsonNode stackVolumes, Namespace namespace, String where) {
        ArrayNode mounts = Json.array();
        if (volumes == null || volumes.isNull()) {
            return mounts;
        }
        if (!volumes.isArray()) {
            throw new ConvertException(where + "volumes: expected a list");
        }
        for (JsonNode entry : volumes) {
            JsonNode volume = entry.isTextual() ? ShortVolume.parse(entry.textValue(), where + "volumes: ") : entry;
            if (!volume.isObject()) {
                throw new ConvertException(where + "volumes: invalid entry " + entry);
            }
            mounts.add(mount(volume, stackVolumes, namespace, where + "volumes: " + describe(volume) + ": "));
        }
        return mounts;
    }

    private static String describe(JsonNode volume) {
        return "target \"" + volume.path("target").asText("") + "\"";
    }

    private static ObjectNode mount(JsonNode volume, JsonNode stackVolumes, Namespace namespace, String where) {
        String type = Fields.textOr(volume, "type", where, "");
        switch (type) {
            case "volume", "" -> {
                onlyOptions(volume, "volume", type.isEmpty() ? "volume" : type, where);
                return namedVolume(volume, stackVolumes, namespace, where);
            }
            case "image" -> {
                requireSource(volume, type, where);
                onlyOptions(volume, "image", type, where);
                ObjectNode mount = base(volume, where);
                JsonNode image = Fields.object(volume, "image", where);
                if (image != null) {
                    ObjectNode options = Json.object();
                    Json.putIfNotEmpty(options, "Subpath", Fields.text(image, "subpath", where + "image."));
                    mount.set("ImageOptions", options);
                }
                return mount;
            }
            case "bind" -> {
                requireSource(volume, type, where);
                onlyOptions(volume, "bind", type, where);
                return withBindOptions(base(volume, where), volume, where);
            }
            case "npipe" -> {
                requireSource(volume, type, where);
                // The CLI lets bind options through for npipe and has no check for cluster options.
                refuse(volume, "volume", type, where);
                refuse(volume, "image", type, where);
                refuse(volume, "tmpfs", type, where);
                return withBindOptions(base(volume, where), volume, where);
            }
            case "tmpfs" -> {
                if (!Fields.textOr(volume, "source", where, "").isEmpty()) {
                    throw new ConvertException(where + "invalid tmpfs source, source must be empty");
                }
                onlyOptions(volume, "tmpfs", type, where);
                ObjectNode mount = base(volume, where);
                JsonNode tmpfs = Fields.object(volume, "tmpfs", where);
                if (tmpfs != null) {
                    ObjectNode options = Json.object();
                    Json.putIfNotZero(options, "SizeBytes", Quantities.bytes(tmpfs, "size", where + "tmpfs."));
                    mount.set("TmpfsOptions", options);
                }
                return mount;
            }
            case "cluster" -> {
                requireSource(volume, type, where);
                onlyOptions(volume, "cluster", type, where);
                return clusterVolume(volume, stackVolumes, namespace, where);
            }
            default -> throw new ConvertException(where + "invalid type \"" + type
                    + "\": volume type must be volume, bind, tmpfs, npipe, or cluster");
        }
    }

    private static ObjectNode base(JsonNode volume, String where) {
        ObjectNode mount = Json.object();
        Json.putIfNotEmpty(mount, "Type", Fields.textOr(volume, "type", where, ""));
        Json.putIfNotEmpty(mount, "Source", Fields.text(volume, "source", where));
        Json.putIfNotEmpty(mount, "Target", Fields.text(volume, "target", where));
        Json.putIfTrue(mount, "ReadOnly", Fields.bool(volume, "read_only", where));
        // Passed through as the CLI does; Linux engines ignore it.
        Json.putIfNotEmpty(mount, "Consistency", Fields.text(volume, "consistency", where));
        return mount;
    }

    private static ObjectNode namedVolume(JsonNode volume, JsonNode stackVolumes, Namespace namespace, String where) {
        ObjectNode mount = base(volume, where);
        String source = Fields.textOr(volume, "source", where, "");
        if (source.isEmpty()) {
            return mount; // anonymous volume
        }
        JsonNode declared = stackVolumes == null ? null : stackVolumes.get(source);
        if (declared == null) {
            throw new ConvertException(where + "undefined volume \"" + source + "\"");
        }
        String at = "volumes." + source + ".";
        mount.put("Source", External.engineName(declared, source, namespace, at));
        ObjectNode options = Json.object();
        JsonNode volumeOptions = Fields.object(volume, "volume", where);
        Json.putIfTrue(options, "NoCopy", Fields.bool(volumeOptions, "nocopy", where + "volume."));
        if (!External.of(declared, at).external()) {
            options.set("Labels", Labels.withStack(namespace, Fields.stringMap(declared, "labels", at)));
        }
        Json.putIfNotEmpty(options, "Subpath", Fields.text(volumeOptions, "subpath", where + "volume."));
        if (!External.of(declared, at).external()) {
            String driver = Fields.textOr(declared, "driver", at, "");
            Map<String, String> driverOpts = Fields.stringMap(declared, "driver_opts", at);
            if (!driver.isEmpty() || driverOpts != null) {
                ObjectNode driverConfig = Json.object();
                Json.putIfNotEmpty(driverConfig, "Name", driver);
                Json.putIfNotEmpty(driverConfig, "Options", driverOpts);
                options.set("DriverConfig", driverConfig);
            }
        }
        mount.set("VolumeOptions", options);
        return mount;
    }

    private static ObjectNode clusterVolume(JsonNode volume, JsonNode stackVolumes, Namespace namespace, String where) {
        ObjectNode mount = base(volume, where);
        mount.set("ClusterOptions", Json.object());
        String source = Fields.text(volume, "source", where);
        // A "group:" source names a volume group: not namespaced and not checked, like the CLI.
        if (!source.startsWith("group:")) {
            JsonNode declared = stackVolumes == null ? null : stackVolumes.get(source);
            if (declared == null) {
                throw new ConvertException(where + "undefined volume \"" + source + "\"");
            }
            mount.put("Source", External.engineName(declared, source, namespace, "volumes." + source + "."));
        }
        return mount;
    }

    private static ObjectNode withBindOptions(ObjectNode mount, JsonNode volume, String where) {
        JsonNode bind = Fields.object(volume, "bind", where);
        if (bind != null) {
            ObjectNode options = Json.object();
            String propagation = Fields.textOr(bind, "propagation", where + "bind.", "");
            if (!propagation.isEmpty() && !PROPAGATIONS.contains(propagation)) {
                throw new ConvertException(where + "bind.propagation: invalid propagation \"" + propagation + "\"");
            }
            Json.putIfNotEmpty(options, "Propagation", propagation);
            mount.set("BindOptions", options);
        }
        return mount;
    }

    private static void requireSource(JsonNode volume, String type, String where) {
        if (Fields.textOr(volume, "source", where, "").isEmpty()) {
            throw new ConvertException(where + "invalid " + type + " source, source cannot be empty");
        }
    }

    /** Refuses the option blocks of every other mount type. */
    private static void onlyOptions(JsonNode volume, String allowed, String type, String where) {
        for (String key : OPTION_KEYS) {
            if (!key.equals(allowed)) {
                refuse(volume, key, type, where);
            }
        }
    }

    private static void refuse(JsonNode volume, String key, String type, String where) {
        if (Fields.has(volume, key)) {
            throw new ConvertException(where + key + " options are incompatible with type " + type);
        }
    }
}
