package io.stackwarden.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static io.stackwarden.compose.GoValues.JSON;
import static io.stackwarden.compose.GoValues.child;
import static io.stackwarden.compose.GoValues.mapping;

/** A service's {@code environment} with its {@code env_file}s merged in (files read through the {@link PathGuard}). */
final class EnvironmentTransform {

    private final TransformContext cx;

    EnvironmentTransform(TransformContext cx) {
        this.cx = cx;
    }

    /** env_file entries first, then {@code environment}; empty or valueless entries take the variable's value. */
    ObjectNode environment(JsonNode env, JsonNode envFiles, List<String> at) throws ComposeException {
        Map<String, String> merged = new TreeMap<>();
        Map<String, Boolean> present = new TreeMap<>();
        if (envFiles != null) {
            for (int i = 0; i < envFiles.size(); i++) {
                String raw = envFiles.get(i).asText();
                List<String> where = child(at, Integer.toString(i));
                PathGuard guard = cx.guard();
                Path file = guard.resolve(raw, cx.stackDir(), "env_file", cx.lines(), where);
                byte[] content;
                try {
                    content = guard.read(file, FileKind.ENV);
                } catch (FileRefused e) {
                    throw cx.lines().error(where, "env_file " + raw + ": " + e.getMessage());
                }
                Map<String, String> vars = EnvFile.parse(guard.show(file), content,
                        k -> Optional.ofNullable(cx.variables().get(k)));
                vars.forEach((k, v) -> put(merged, present, k, v));
            }
        }
        ObjectNode declared = mapping(env, true);
        for (Iterator<Map.Entry<String, JsonNode>> it = declared.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            put(merged, present, e.getKey(), e.getValue().isNull() ? null : e.getValue().textValue());
        }
        ObjectNode out = JSON.objectNode();
        for (String k : present.keySet()) {
            String v = merged.get(k);
            if (v == null) {
                out.putNull(k);
            } else {
                out.put(k, v);
            }
        }
        return out;
    }

    private void put(Map<String, String> merged, Map<String, Boolean> present, String k, String v) {
        String fromVars = cx.variables().get(k);
        merged.put(k, (v == null || v.isEmpty()) && fromVars != null ? fromVars : v);
        present.put(k, true);
    }
}
