package io.stackwarden.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Applies {@link Template} to every string value of a parsed file (keys are never interpolated), then,
 * like the CLI, re-types values that changed at the few paths where the schema wants a number or a
 * boolean ({@code replicas: ${N}} becomes an integer). Values without a variable keep their YAML type,
 * so {@code privileged: "true"} still fails the schema as it does with {@code docker stack deploy}.
 */
final class Interpolator {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private enum Cast { INT, FLOAT, BOOL }

    private record Rule(String[] pattern, Cast cast) {
    }

    private static final List<Rule> RULES = List.of(
            svc(Cast.INT, "configs", "[]", "mode"),
            svc(Cast.INT, "secrets", "[]", "mode"),
            svc(Cast.INT, "healthcheck", "retries"),
            svc(Cast.BOOL, "healthcheck", "disable"),
            svc(Cast.INT, "deploy", "replicas"),
            svc(Cast.INT, "deploy", "update_config", "parallelism"),
            svc(Cast.FLOAT, "deploy", "update_config", "max_failure_ratio"),
            svc(Cast.INT, "deploy", "rollback_config", "parallelism"),
            svc(Cast.FLOAT, "deploy", "rollback_config", "max_failure_ratio"),
            svc(Cast.INT, "deploy", "restart_policy", "max_attempts"),
            svc(Cast.INT, "deploy", "placement", "max_replicas_per_node"),
            svc(Cast.INT, "ports", "[]", "target"),
            svc(Cast.INT, "ports", "[]", "published"),
            svc(Cast.INT, "ulimits", "*"),
            svc(Cast.INT, "ulimits", "*", "hard"),
            svc(Cast.INT, "ulimits", "*", "soft"),
            svc(Cast.BOOL, "privileged"),
            svc(Cast.INT, "oom_score_adj"),
            svc(Cast.BOOL, "read_only"),
            svc(Cast.BOOL, "stdin_open"),
            svc(Cast.BOOL, "tty"),
            svc(Cast.BOOL, "volumes", "[]", "read_only"),
            svc(Cast.BOOL, "volumes", "[]", "volume", "nocopy"),
            top(Cast.BOOL, "networks", "*", "external"),
            top(Cast.BOOL, "networks", "*", "internal"),
            top(Cast.BOOL, "networks", "*", "attachable"),
            top(Cast.BOOL, "volumes", "*", "external"),
            top(Cast.BOOL, "secrets", "*", "external"),
            top(Cast.BOOL, "configs", "*", "external"));

    private static Rule svc(Cast cast, String... parts) {
        String[] p = new String[parts.length + 2];
        p[0] = "services";
        p[1] = "*";
        System.arraycopy(parts, 0, p, 2, parts.length);
        return new Rule(p, cast);
    }

    private static Rule top(Cast cast, String... parts) {
        return new Rule(parts, cast);
    }

    /** Thrown out of a lookup when the values put in exceed the budget, before the string is built. */
    private static final class OverBudget extends RuntimeException {
        OverBudget() {
            super(null, null, false, false);
        }
    }

    private final Function<String, Optional<String>> lookup;
    private final SourceMap lines;
    private final LoadBudget budget;

    private Interpolator(Map<String, String> variables, SourceMap lines, LoadBudget budget, Redaction redaction) {
        this.lookup = name -> {
            Optional<String> value = Optional.ofNullable(variables.get(name));
            if (value.isPresent()) {
                if (!budget.text(value.get().length())) {
                    throw new OverBudget();
                }
                redaction.used(name, value.get());
            }
            return value;
        };
        this.lines = lines;
        this.budget = budget;
    }

    static ObjectNode interpolate(ObjectNode root, Map<String, String> variables, SourceMap lines, LoadBudget budget,
                                  Redaction redaction) throws ComposeException {
        return (ObjectNode) new Interpolator(variables, lines, budget, redaction).walk(root, new ArrayList<>(), new ArrayList<>());
    }

    /** {@code path} uses "[]" for list items (the CLI's notation); {@code where} the indices, for lines. */
    private JsonNode walk(JsonNode v, List<String> path, List<String> where) throws ComposeException {
        if (v.isObject()) {
            ObjectNode out = JSON.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                path.add(e.getKey());
                where.add(e.getKey());
                out.set(e.getKey(), walk(e.getValue(), path, where));
                path.remove(path.size() - 1);
                where.remove(where.size() - 1);
            }
            return out;
        }
        if (v.isArray()) {
            ArrayNode out = JSON.arrayNode();
            for (int i = 0; i < v.size(); i++) {
                path.add("[]");
                where.add(Integer.toString(i));
                out.add(walk(v.get(i), path, where));
                path.remove(path.size() - 1);
                where.remove(where.size() - 1);
            }
            return out;
        }
        if (!v.isTextual()) {
            return v;
        }
        String before = v.textValue();
        String after;
        budget.time(lines.file(), lines.line(where));
        try {
            after = Template.substitute(before, lookup);
        } catch (OverBudget e) {
            throw budget.tooMuchText(lines.file(), lines.line(where));
        } catch (Template.InvalidTemplate e) {
            throw lines.error(where, "invalid interpolation format for " + SourceMap.dotted(path) + ": "
                    + quote(e.template) + "; you may need to escape any $ with another $");
        }
        if (after.equals(before)) {
            return v;
        }
        Cast cast = castFor(path);
        if (cast == null) {
            return JSON.textNode(after);
        }
        try {
            return switch (cast) {
                case INT -> JSON.numberNode(atoi(after));
                case FLOAT -> JSON.numberNode(parseFloat(after));
                case BOOL -> JSON.booleanNode(parseBool(after));
            };
        } catch (IllegalArgumentException e) {
            // The value came from variables, maybe from a secret .env: name the template, never the value.
            throw lines.error(where, "error while interpolating " + SourceMap.dotted(path)
                    + ": failed to cast to expected type: " + quote(before) + " does not give " + switch (cast) {
                        case INT -> "an integer";
                        case FLOAT -> "a number";
                        case BOOL -> "a boolean";
                    });
        }
    }

    private static Cast castFor(List<String> path) {
        for (Rule r : RULES) {
            if (r.pattern.length != path.size()) {
                continue;
            }
            boolean match = true;
            for (int i = 0; i < path.size() && match; i++) {
                match = r.pattern[i].equals("*") || r.pattern[i].equals(path.get(i));
            }
            if (match) {
                return r.cast;
            }
        }
        return null;
    }

    private static long atoi(String s) {
        if (!s.matches("[+-]?[0-9]+")) {
            throw new IllegalArgumentException("invalid syntax");
        }
        try {
            return Long.parseLong(s.startsWith("+") ? s.substring(1) : s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("value out of range");
        }
    }

    private static double parseFloat(String s) {
        String t = s.toLowerCase(Locale.ROOT);
        if (t.matches("[+-]?(inf|infinity)")) {
            return t.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (!s.matches("[+-]?(\\d[\\d_]*\\.?[\\d_]*|\\.\\d[\\d_]*)([eE][+-]?\\d+)?")) {
            throw new IllegalArgumentException("invalid syntax");
        }
        return Double.parseDouble(s.replace("_", ""));
    }

    /** The CLI's toBoolean: YAML 1.1 words, case-insensitive. */
    private static boolean parseBool(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "y", "yes", "true", "on" -> true;
            case "n", "no", "false", "off" -> false;
            default -> throw new IllegalArgumentException("invalid boolean");
        };
    }

    /** Go's %#v of a string, close enough for messages. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                default -> b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
