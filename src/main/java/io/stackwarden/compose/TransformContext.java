package io.stackwarden.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What every section of {@link ModelTransform} works against: the file's version, the stack directory
 * and the guard files are read through, the variables, where errors point, and the warnings collected.
 * It also converts the Go values whose parse errors must point at a line: durations, byte sizes and
 * unsigned numbers.
 */
record TransformContext(String version, Path stackDir, PathGuard guard, Map<String, String> variables,
                        SourceMap lines, List<String> warnings) {

    /** A Go duration field; pointer fields keep an explicit zero ("0s"), plain ones drop it. */
    void duration(ObjectNode o, String key, JsonNode v, boolean pointer, List<String> at) throws ComposeException {
        if (v == null || v.isNull()) {
            return;
        }
        long ns;
        try {
            ns = GoText.parseDuration(v.asText());
        } catch (IllegalArgumentException e) {
            throw lines.error(at, SourceMap.dotted(at) + ": " + e.getMessage());
        }
        if (ns != 0 || pointer) {
            o.put(key, GoText.formatDuration(ns));
        }
    }

    /** A go-units byte size, marshalled by the CLI as a decimal string; zero is omitted. */
    void bytes(ObjectNode o, String key, JsonNode v, List<String> at) throws ComposeException {
        if (v == null || v.isNull()) {
            return;
        }
        long n;
        try {
            n = v.isNumber() ? v.asLong() : GoText.ramInBytes(v.asText());
        } catch (IllegalArgumentException e) {
            throw lines.error(at, SourceMap.dotted(at) + ": " + e.getMessage());
        }
        if (n != 0) {
            o.put(key, Long.toString(n));
        }
    }

    long unsigned(JsonNode v, List<String> at, long max) throws ComposeException {
        if (!v.isNumber() || v.asLong() < 0 || (v.isIntegralNumber() && !v.canConvertToLong()) || v.asLong() > max) {
            throw lines.error(at, SourceMap.dotted(at) + ": " + GoText.sprint(v)
                    + " is not a valid unsigned number here");
        }
        return v.asLong();
    }
}
