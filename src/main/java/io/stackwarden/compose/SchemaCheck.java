package io.stackwarden.compose;

import com.fasterxml.jackson.databind.JsonNode;
import io.stackwarden.compose.SchemaRules.Arr;
import io.stackwarden.compose.SchemaRules.Obj;
import io.stackwarden.compose.SchemaRules.OneOf;
import io.stackwarden.compose.SchemaRules.Prop;
import io.stackwarden.compose.SchemaRules.Rule;
import io.stackwarden.compose.SchemaRules.Scalar;
import io.stackwarden.compose.SchemaRules.T;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Our own rendition of the checks docker/cli's compose schema (file formats 3.0 to 3.13) makes: walks a
 * file against the tables of {@link ComposeSchema} and reports the first problem. Messages follow the
 * CLI's wording: {@code services.web Additional property foo is not allowed},
 * {@code services.web.privileged must be a boolean}.
 */
final class SchemaCheck {

    /** Versions docker/cli knows; "3" and a missing version mean the latest. */
    static final List<String> VERSIONS = List.of("3.0", "3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "3.7", "3.8",
            "3.9", "3.10", "3.11", "3.12", "3.13");
    static final String LATEST = "3.13";

    private final String version;
    private final SourceMap lines;

    private SchemaCheck(String version, SourceMap lines) {
        this.version = version;
        this.lines = lines;
    }

    /** Validates a whole (interpolated) file against the rules of {@code version}. */
    static void validate(JsonNode root, String version, SourceMap lines) throws ComposeException {
        if (!VERSIONS.contains(version)) {
            throw lines.error(List.of("version"), "unsupported Compose file version: " + version);
        }
        SchemaCheck check = new SchemaCheck(version, lines);
        String problem = check.checkAt(ComposeSchema.ROOT, root, new ArrayList<>());
        if (problem != null) {
            throw new ComposeException(lines.file(), check.lastLine, problem);
        }
    }

    /** Line of the node the last reported problem is about. */
    private int lastLine;

    private String fail(List<String> path, String what) {
        lastLine = lines.line(path);
        return (path.isEmpty() ? "(root)" : SourceMap.dotted(path)) + " " + what;
    }

    /** Returns the first problem found under {@code v}, or null. */
    private String checkAt(Rule rule, JsonNode v, List<String> path) {
        if (rule instanceof Scalar sc) {
            if (!typeMatches(sc.types(), v)) {
                return fail(path, "must be a " + typeNames(sc.types()));
            }
            if (sc.format() != null && !formatMatches(sc.format(), v)) {
                return fail(path, "Does not match format '" + sc.format() + "'");
            }
            if (sc.oneOf() != null && !sc.oneOf().contains(v.asText())) {
                return fail(path, "must be one of the following: \"" + String.join("\", \"", sc.oneOf()) + "\"");
            }
            if (sc.minimum() != null && v.isNumber() && v.doubleValue() < sc.minimum()) {
                return fail(path, "must be greater than or equal to " + sc.minimum());
            }
            return null;
        }
        if (rule instanceof Arr arr) {
            if (!v.isArray()) {
                return fail(path, "must be a list");
            }
            for (int i = 0; i < v.size(); i++) {
                path.add(Integer.toString(i));
                String p = checkAt(arr.items(), v.get(i), path);
                path.remove(path.size() - 1);
                if (p != null) {
                    return p;
                }
            }
            if (arr.unique()) {
                for (int i = 0; i < v.size(); i++) {
                    for (int j = i + 1; j < v.size(); j++) {
                        if (v.get(i).equals(v.get(j))) {
                            return fail(path, "contains duplicate items: array items[" + i + "," + j
                                    + "] must be unique");
                        }
                    }
                }
            }
            return null;
        }
        if (rule instanceof OneOf one) {
            List<Rule> candidates = new ArrayList<>();
            for (Rule r : one.options()) {
                if (shapeMatches(r, v)) {
                    candidates.add(r);
                }
            }
            if (candidates.isEmpty()) {
                List<String> names = new ArrayList<>();
                for (Rule r : one.options()) {
                    names.add(shapeName(r));
                }
                return fail(path, "must be a " + joinTypes(names.stream().distinct().toList()));
            }
            String first = null;
            for (Rule r : candidates) {
                String p = checkAt(r, v, path);
                if (p == null) {
                    return null;
                }
                first = first == null ? p : first;
            }
            return first;
        }
        Obj o = (Obj) rule;
        if (v.isNull() && o.nullable()) {
            return null;
        }
        if (!v.isObject()) {
            return fail(path, "must be a " + (o.nullable() ? "mapping or null" : "mapping"));
        }
        for (String req : o.required()) {
            if (!v.has(req)) {
                return fail(path, req + " is required");
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            Prop prop = o.props().get(key);
            Rule child = null;
            if (prop != null && atLeast(prop.since())) {
                child = prop.rule();
            } else if (o.pattern() != null && o.pattern().matcher(key).matches()) {
                child = o.patternRule();
            } else if (key.startsWith("x-") && o.extensionsSince() != null && atLeast(o.extensionsSince())) {
                continue;
            } else if (!o.open()) {
                path.add(key);
                lastLine = lines.line(path);
                path.remove(path.size() - 1);
                return (path.isEmpty() ? "(root)" : SourceMap.dotted(path)) + " Additional property " + key
                        + " is not allowed";
            }
            if (child == null) {
                continue;
            }
            path.add(key);
            String p = checkAt(child, e.getValue(), path);
            path.remove(path.size() - 1);
            if (p != null) {
                return p;
            }
        }
        return null;
    }

    private boolean atLeast(String since) {
        return compareVersions(version, since) >= 0;
    }

    static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int xi = i < x.length ? parseOr0(x[i]) : 0;
            int yi = i < y.length ? parseOr0(y[i]) : 0;
            if (xi != yi) {
                return Integer.compare(xi, yi);
            }
        }
        return 0;
    }

    private static int parseOr0(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static boolean shapeMatches(Rule r, JsonNode v) {
        if (r instanceof Scalar sc) {
            return typeMatches(sc.types(), v);
        }
        if (r instanceof Arr) {
            return v.isArray();
        }
        if (r instanceof OneOf one) {
            return one.options().stream().anyMatch(o -> shapeMatches(o, v));
        }
        Obj o = (Obj) r;
        return v.isObject() || (o.nullable() && v.isNull());
    }

    private static String shapeName(Rule r) {
        if (r instanceof Scalar sc) {
            return typeNames(sc.types());
        }
        if (r instanceof Arr) {
            return "list";
        }
        if (r instanceof OneOf one) {
            return joinTypes(one.options().stream().map(SchemaCheck::shapeName).distinct().toList());
        }
        return "mapping";
    }

    private static boolean typeMatches(List<T> types, JsonNode v) {
        for (T t : types) {
            boolean ok = switch (t) {
                case STRING -> v.isTextual();
                case NUMBER -> v.isNumber();
                case INTEGER -> v.isIntegralNumber() || (v.isFloatingPointNumber() && v.doubleValue() == Math.rint(
                        v.doubleValue()) && !Double.isInfinite(v.doubleValue()));
                case BOOLEAN -> v.isBoolean();
                case NULL -> v.isNull();
                case OBJECT -> v.isObject();
                case ARRAY -> v.isArray();
            };
            if (ok) {
                return true;
            }
        }
        return false;
    }

    private static String typeNames(List<T> types) {
        return joinTypes(types.stream().map(t -> switch (t) {
            case OBJECT -> "mapping";
            case ARRAY -> "list";
            default -> t.name().toLowerCase();
        }).toList());
    }

    private static String joinTypes(List<String> names) {
        if (names.size() == 1) {
            return names.get(0);
        }
        return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }

    private static boolean formatMatches(String format, JsonNode v) {
        if (format.equals("duration")) {
            try {
                GoText.parseDuration(v.textValue());
                return true;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        if (format.equals("ports")) {
            String spec = v.isTextual() ? v.textValue() : GoText.sprint(v).split("/")[0];
            try {
                PortSpec.parse(spec);
                return true;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        return true;
    }
}
