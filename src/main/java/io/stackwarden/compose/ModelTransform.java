package io.stackwarden.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.stackwarden.compose.GoValues.JSON;
import static io.stackwarden.compose.GoValues.path;
import static io.stackwarden.compose.GoValues.putNonEmpty;
import static io.stackwarden.compose.GoValues.section;
import static io.stackwarden.compose.GoValues.sorted;

/**
 * Turns one validated, interpolated file into the JSON docker/cli's {@code types.Config} marshals to:
 * short syntaxes expanded (ports, volumes, secrets, build), lists-or-maps normalised, values that Go
 * holds as strings printed the Go way, durations and byte sizes normalised, {@code env_file} merged
 * into {@code environment}, relative paths made absolute (files read here stay inside the root, see
 * {@link PathGuard}; bind sources are node paths, see {@link BindSource}), and
 * the zero values left out exactly where Go's {@code omitempty} leaves them out (structs always stay:
 * every service has {@code build}, {@code credential_spec} and {@code deploy}).
 *
 * <p>This is the entry point; each section has its own class ({@link ServiceTransform} and the classes it
 * uses, {@link TopLevelTransform}), sharing {@link GoValues} and the {@link TransformContext}.
 */
final class ModelTransform {

    private final String version;
    private final ServiceTransform services;
    private final TopLevelTransform objects;

    ModelTransform(String version, Path stackDir, PathGuard guard, Map<String, String> variables, SourceMap lines,
                   List<String> warnings) {
        TransformContext cx = new TransformContext(version, stackDir, guard, variables, lines, warnings);
        this.version = version;
        this.services = new ServiceTransform(cx);
        this.objects = new TopLevelTransform(cx);
    }

    ObjectNode config(ObjectNode root) throws ComposeException {
        ObjectNode out = JSON.objectNode();
        out.put("version", version);
        ObjectNode servicesOut = out.putObject("services");
        for (Map.Entry<String, JsonNode> e : sorted(section(root, "services"))) {
            servicesOut.set(e.getKey(),
                    services.service(e.getKey(), (ObjectNode) e.getValue(), path("services", e.getKey())));
        }
        putNonEmpty(out, "networks", each(root, "networks", objects::network));
        putNonEmpty(out, "volumes", each(root, "volumes", objects::volume));
        putNonEmpty(out, "secrets", each(root, "secrets", (n, v, p) -> objects.fileObject("secret", n, v, p)));
        putNonEmpty(out, "configs", each(root, "configs", (n, v, p) -> objects.fileObject("config", n, v, p)));
        for (Map.Entry<String, JsonNode> e : sorted(root)) {
            if (e.getKey().startsWith("x-")) {
                out.set(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    private interface Loader {
        ObjectNode load(String name, JsonNode value, List<String> at) throws ComposeException;
    }

    /** Every entry of a top-level section, in key order. */
    private static ObjectNode each(ObjectNode root, String section, Loader loader) throws ComposeException {
        ObjectNode out = JSON.objectNode();
        for (Map.Entry<String, JsonNode> e : sorted(section(root, section))) {
            out.set(e.getKey(), loader.load(e.getKey(), e.getValue(), path(section, e.getKey())));
        }
        return out;
    }
}
