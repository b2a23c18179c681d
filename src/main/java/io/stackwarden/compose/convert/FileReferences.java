package io.stackwarden.compose.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A service's {@code secrets:} / {@code configs:} to {@code SecretReference} / {@code ConfigReference}
 * with the CLI's defaults: target = source key, uid and gid "0", mode 0444. Each target file may be
 * used once; the list is sorted by object name so reordering the compose file changes nothing.
 * The IDs are left for the apply step, which looks them up by name as the CLI does.
 */
final class FileReferences {

    static final int DEFAULT_MODE = 0444;

    private FileReferences() {
    }

    /** References plus the engine names of the external objects they use. */
    record Result(ArrayNode references, Set<String> externalNames) {
    }

    static Result secrets(JsonNode refs, JsonNode declared, Namespace namespace, String where) {
        return convert(refs, declared, namespace, where, "secret", "SecretName");
    }

    static Result configs(JsonNode refs, JsonNode declared, Namespace namespace, String where) {
        return convert(refs, declared, namespace, where, "config", "ConfigName");
    }

    private static Result convert(JsonNode refs, JsonNode declared, Namespace namespace, String where,
                                  String kind, String nameField) {
        List<ObjectNode> result = new ArrayList<>();
        Set<String> externals = new HashSet<>();
        Set<String> targets = new HashSet<>();
        if (refs != null && !refs.isNull()) {
            if (!refs.isArray()) {
                throw new ConvertException(where + kind + "s: expected a list");
            }
            for (JsonNode ref : refs) {
                JsonNode entry = ref;
                if (ref.isTextual()) {
                    entry = Json.object().put("source", ref.textValue());
                } else if (!ref.isObject()) {
                    throw new ConvertException(where + kind + "s: invalid entry " + ref);
                }
                String source = Fields.textOr(entry, "source", where + kind + "s.", "");
                String at = where + kind + "s." + source + ".";
                JsonNode object = lookup(declared, source, kind, where);
                String name = External.engineName(object, source, namespace, kind + "s." + source + ": ");
                if (External.of(object, kind + "s." + source + ": ").external()) {
                    externals.add(name);
                }
                String target = Fields.textOr(entry, "target", at, "");
                if (target.isEmpty()) {
                    target = source;
                }
                if (!targets.add(target)) {
                    throw new ConvertException(where + "duplicate " + kind + " target for " + name + " not allowed");
                }
                ObjectNode file = Json.object();
                file.put("Name", target);
                file.put("UID", nonEmpty(Fields.text(entry, "uid", at), "0"));
                file.put("GID", nonEmpty(Fields.text(entry, "gid", at), "0"));
                Long mode = Fields.nonNegative(entry, "mode", at);
                file.put("Mode", mode == null ? DEFAULT_MODE : mode);
                ObjectNode reference = Json.object();
                reference.set("File", file);
                reference.put(nameField, name);
                result.add(reference);
            }
        }
        result.sort(Comparator.comparing(r -> r.get(nameField).asText()));
        ArrayNode array = Json.array();
        result.forEach(array::add);
        return new Result(array, externals);
    }

    static JsonNode lookup(JsonNode declared, String source, String kind, String where) {
        JsonNode object = declared == null ? null : declared.get(source);
        if (object == null) {
            throw new ConvertException(where + kind + "s: undefined " + kind + " \"" + source + "\"");
        }
        return object.isNull() ? Json.object() : object;
    }

    private static String nonEmpty(String value, String fallback) {
        return value == null || value.isEmpty() ? fallback : value;
    }
}
