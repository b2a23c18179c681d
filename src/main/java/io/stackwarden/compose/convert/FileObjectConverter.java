package io.stackwarden.compose.convert;

import io.stackwarden.compose.engine.StackObject;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;

/**
 * Top-level {@code secrets:} and {@code configs:} to {@code SecretSpec} / {@code ConfigSpec}. Unlike
 * networks, the CLI creates (or updates) every non-external one, used by a service or not. Content
 * comes from {@code file:}; a secret with a {@code driver:} has no data, the driver supplies it.
 */
final class FileObjectConverter {

    enum Kind {
        SECRET("secrets"), CONFIG("configs");

        final String section;

        Kind(String section) {
            this.section = section;
        }
    }

    private FileObjectConverter() {
    }

    static List<StackObject> convert(Kind kind, Namespace namespace, JsonNode declared, ContentReader files) {
        List<StackObject> result = new ArrayList<>();
        for (String key : Fields.keys(declared)) {
            JsonNode object = declared.get(key);
            String where = kind.section + "." + key + ": ";
            if (object == null || object.isNull()) {
                object = Json.object();
            } else if (!object.isObject()) {
                throw new ConvertException(where + "expected a mapping");
            }
            if (External.of(object, where).external()) {
                continue;
            }
            String name = External.engineName(object, key, namespace, where);
            ObjectNode spec = Json.object();
            spec.put("Name", name);
            spec.set("Labels", Labels.withStack(namespace, Fields.stringMap(object, "labels", where)));
            String driver = kind == Kind.SECRET ? Fields.textOr(object, "driver", where, "") : "";
            if (driver.isEmpty()) {
                byte[] data = read(object, files, where);
                if (data.length > 0) {
                    spec.put("Data", Base64.getEncoder().encodeToString(data));
                }
            } else {
                ObjectNode driverNode = spec.putObject("Driver");
                driverNode.put("Name", driver);
                Json.putIfNotEmpty(driverNode, "Options", Fields.stringMap(object, "driver_opts", where));
            }
            String templateDriver = Fields.textOr(object, "template_driver", where, "");
            if (!templateDriver.isEmpty()) {
                spec.putObject("Templating").put("Name", templateDriver);
            }
            result.add(new StackObject(key, name, spec, !External.ownName(object, where)));
        }
        result.sort(Comparator.comparing(StackObject::name));
        return result;
    }

    private static byte[] read(JsonNode object, ContentReader files, String where) {
        String file = Fields.textOr(object, "file", where, "");
        if (file.isEmpty()) {
            throw new ConvertException(where + "needs a file (or external: true)");
        }
        // The model holds absolute paths (as the CLI's does); the reader's message names the file for people.
        try {
            byte[] data = files.read(file);
            if (data == null) {
                throw new ConvertException(where + "cannot read its file");
            }
            return data;
        } catch (IOException e) {
            throw new ConvertException(where + "cannot read its file: " + e.getMessage(), e);
        }
    }
}
