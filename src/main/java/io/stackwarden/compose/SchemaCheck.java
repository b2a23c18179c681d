package io.stackwarden.compose;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Our own rendition of the rules docker/cli's compose schema (file formats 3.0 to 3.13) enforces:
 * which keys exist at each level and since which version, their types, and the few formats checked
 * (durations, port specs). Messages follow the CLI's wording: {@code services.web Additional property foo
 * is not allowed}, {@code services.web.privileged must be a boolean}.
 */
final class SchemaCheck {

    /** Versions docker/cli knows; "3" and a missing version mean the latest. */
    static final List<String> VERSIONS = List.of("3.0", "3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "3.7", "3.8",
            "3.9", "3.10", "3.11", "3.12", "3.13");
    static final String LATEST = "3.13";

    private static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9._-]+$");
    private static final Pattern ANY = Pattern.compile("^.+$");
    private static final Pattern ULIMIT = Pattern.compile("^[a-z]+$");

    // ---- a tiny schema language -------------------------------------------------------------------

    private enum T { STRING, NUMBER, INTEGER, BOOLEAN, NULL, OBJECT, ARRAY }

    private interface Rule {
    }

    /** Scalar of one of the given types, optionally with a format or enum. */
    private record Scalar(List<T> types, String format, List<String> oneOf, Long minimum) implements Rule {
    }

    private record Arr(Rule items, boolean unique) implements Rule {
    }

    private record Prop(Rule rule, String since) {
    }

    /**
     * Mapping: named properties, values of keys matching {@code pattern}, {@code x-} keys allowed
     * from version {@code extensionsSince}, anything else refused unless {@code open}.
     */
    private record Obj(Map<String, Prop> props, Pattern pattern, Rule patternRule, String extensionsSince,
                       boolean open, boolean nullable, List<String> required) implements Rule {
    }

    private record OneOf(List<Rule> options) implements Rule {
    }

    private static Scalar s(T... types) {
        return new Scalar(List.of(types), null, null, null);
    }

    private static Scalar fmt(String format, T... types) {
        return new Scalar(List.of(types), format, null, null);
    }

    private static final Rule STRING = s(T.STRING);
    private static final Rule INTEGER = s(T.INTEGER);
    private static final Rule NUMBER = s(T.NUMBER);
    private static final Rule BOOLEAN = s(T.BOOLEAN);
    private static final Rule DURATION = fmt("duration", T.STRING);
    private static final Rule LIST_OF_STRINGS = new Arr(STRING, true);
    private static final Rule STRING_OR_LIST = new OneOf(List.of(STRING, LIST_OF_STRINGS));
    private static final Rule LIST_OR_DICT = new OneOf(List.of(
            map(ANY, s(T.STRING, T.NUMBER, T.NULL)), new Arr(STRING, true)));
    private static final Rule STRING_OR_NUMBER_MAP = new Obj(Map.of(), ANY, s(T.STRING, T.NUMBER), null, true,
            false, List.of());

    private static final class B {
        private final Map<String, Prop> props = new LinkedHashMap<>();

        B p(String name, Rule rule) {
            return p(name, rule, "3.0");
        }

        B p(String name, Rule rule, String since) {
            props.put(name, new Prop(rule, since));
            return this;
        }

        Obj closed() {
            return new Obj(props, null, null, null, false, false, List.of());
        }

        Obj closedX(String xSince) {
            return new Obj(props, null, null, xSince, false, false, List.of());
        }

        Obj open() {
            return new Obj(props, null, null, null, true, false, List.of());
        }
    }

    private static B obj() {
        return new B();
    }

    private static Obj map(Pattern keys, Rule values) {
        return new Obj(Map.of(), keys, values, null, false, false, List.of());
    }

    private static Obj nullable(Obj o) {
        return new Obj(o.props, o.pattern, o.patternRule, o.extensionsSince, o.open, true, o.required);
    }

    private static final Rule UPDATE_CONFIG = obj()
            .p("parallelism", INTEGER).p("delay", DURATION).p("failure_action", STRING)
            .p("monitor", DURATION).p("max_failure_ratio", NUMBER)
            .p("order", new Scalar(List.of(T.STRING), null, List.of("start-first", "stop-first"), null), "3.4")
            .closed();

    private static final Rule DEPLOY = nullable(obj()
            .p("mode", STRING).p("endpoint_mode", STRING, "3.2").p("replicas", INTEGER).p("labels", LIST_OR_DICT)
            .p("rollback_config", UPDATE_CONFIG, "3.7").p("update_config", UPDATE_CONFIG)
            .p("resources", obj()
                    .p("limits", obj().p("cpus", STRING).p("memory", STRING).p("pids", INTEGER, "3.9").closed())
                    .p("reservations", obj().p("cpus", STRING).p("memory", STRING)
                            .p("generic_resources", new Arr(obj()
                                    .p("discrete_resource_spec", obj().p("kind", STRING).p("value", NUMBER).closed())
                                    .closed(), false), "3.5")
                            .closed())
                    .closed())
            .p("restart_policy", obj().p("condition", STRING).p("delay", DURATION).p("max_attempts", INTEGER)
                    .p("window", DURATION).closed())
            .p("placement", obj().p("constraints", new Arr(STRING, false))
                    .p("preferences", new Arr(obj().p("spread", STRING).closed(), false), "3.3")
                    .p("max_replicas_per_node", INTEGER, "3.8").closed())
            .closed());

    private static final Rule FILE_REFERENCE = new OneOf(List.of(STRING, obj()
            .p("source", STRING).p("target", STRING).p("uid", STRING).p("gid", STRING).p("mode", NUMBER).open()));

    private static final Rule HEALTHCHECK = obj()
            .p("disable", BOOLEAN).p("interval", DURATION).p("retries", NUMBER)
            .p("test", new OneOf(List.of(STRING, new Arr(STRING, false))))
            .p("timeout", DURATION).p("start_period", DURATION, "3.4").p("start_interval", DURATION, "3.12")
            .closed();

    private static final Rule COMMAND = new OneOf(List.of(STRING, new Arr(STRING, false)));

    private static final Rule SERVICE_VOLUME = new OneOf(List.of(STRING, new Obj(new B()
            .p("type", STRING).p("source", STRING).p("target", STRING).p("read_only", BOOLEAN)
            .p("consistency", STRING).p("bind", obj().p("propagation", STRING).open())
            .p("volume", obj().p("nocopy", BOOLEAN).open())
            .p("tmpfs", obj().p("size", new Scalar(List.of(T.INTEGER), null, null, 0L)).open(), "3.6").props,
            null, null, null, false, false, List.of("type"))));

    private static final Rule SERVICE = obj()
            .p("deploy", DEPLOY)
            .p("build", new OneOf(List.of(STRING, obj()
                    .p("context", STRING).p("dockerfile", STRING).p("args", LIST_OR_DICT)
                    .p("labels", LIST_OR_DICT, "3.3").p("cache_from", LIST_OF_STRINGS, "3.2")
                    .p("network", STRING, "3.4").p("target", STRING, "3.4")
                    .p("shm_size", s(T.INTEGER, T.STRING), "3.5").p("extra_hosts", LIST_OR_DICT, "3.9")
                    .closed())))
            .p("cap_add", new Arr(STRING, true)).p("cap_drop", new Arr(STRING, true))
            .p("cgroupns_mode", STRING, "3.9").p("cgroup_parent", STRING)
            .p("command", COMMAND)
            .p("configs", new Arr(FILE_REFERENCE, false), "3.3")
            .p("container_name", STRING)
            .p("credential_spec", obj().p("config", STRING, "3.8").p("file", STRING).p("registry", STRING).closed(),
                    "3.3")
            .p("depends_on", LIST_OF_STRINGS)
            .p("devices", new Arr(STRING, true))
            .p("dns", STRING_OR_LIST).p("dns_search", STRING_OR_LIST)
            .p("domainname", STRING)
            .p("entrypoint", COMMAND)
            .p("env_file", STRING_OR_LIST)
            .p("environment", LIST_OR_DICT)
            .p("expose", new Arr(s(T.STRING, T.NUMBER), true))
            .p("external_links", new Arr(STRING, true))
            .p("extra_hosts", LIST_OR_DICT)
            .p("healthcheck", HEALTHCHECK)
            .p("hostname", STRING)
            .p("image", STRING)
            .p("init", BOOLEAN, "3.7")
            .p("ipc", STRING)
            .p("isolation", STRING, "3.5")
            .p("labels", LIST_OR_DICT)
            .p("links", new Arr(STRING, true))
            .p("logging", obj().p("driver", STRING)
                    .p("options", map(ANY, s(T.STRING, T.NUMBER, T.NULL))).closed())
            .p("mac_address", STRING)
            .p("network_mode", STRING)
            .p("networks", new OneOf(List.of(LIST_OF_STRINGS, map(NAME, new OneOf(List.of(obj()
                    .p("aliases", LIST_OF_STRINGS).p("driver_opts", STRING_OR_NUMBER_MAP, "3.13")
                    .p("ipv4_address", STRING).p("ipv6_address", STRING).closed(), s(T.NULL)))))))
            .p("pid", s(T.STRING, T.NULL))
            .p("ports", new Arr(new OneOf(List.of(fmt("ports", T.NUMBER), fmt("ports", T.STRING), obj()
                    .p("mode", STRING).p("target", INTEGER).p("published", INTEGER).p("protocol", STRING)
                    .closed())), true))
            .p("privileged", BOOLEAN)
            .p("read_only", BOOLEAN)
            .p("restart", STRING)
            .p("security_opt", new Arr(STRING, true))
            .p("shm_size", s(T.NUMBER, T.STRING))
            .p("secrets", new Arr(FILE_REFERENCE, false), "3.1")
            .p("sysctls", LIST_OR_DICT)
            .p("stdin_open", BOOLEAN)
            .p("stop_grace_period", DURATION)
            .p("stop_signal", STRING)
            .p("tmpfs", STRING_OR_LIST)
            .p("tty", BOOLEAN)
            .p("ulimits", new Obj(Map.of(), ULIMIT, new OneOf(List.of(INTEGER, new Obj(new B()
                    .p("hard", INTEGER).p("soft", INTEGER).props, null, null, null, false, false,
                    List.of("soft", "hard")))), null, true, false, List.of()))
            .p("oom_score_adj", INTEGER, "3.13")
            .p("user", STRING)
            .p("userns_mode", STRING)
            .p("volumes", new Arr(SERVICE_VOLUME, false))
            .p("working_dir", STRING)
            .closedX("3.7");

    private static final Rule EXTERNAL_CLOSED = new OneOf(List.of(BOOLEAN, obj().p("name", STRING).closed()));
    private static final Rule EXTERNAL_OPEN = new OneOf(List.of(BOOLEAN, obj().p("name", STRING).open()));

    private static final Rule NETWORK = nullable(obj()
            .p("name", STRING, "3.5").p("driver", STRING).p("driver_opts", STRING_OR_NUMBER_MAP)
            .p("ipam", obj().p("driver", STRING)
                    .p("config", new Arr(obj().p("subnet", STRING).closed(), false)).closed())
            .p("external", EXTERNAL_CLOSED).p("internal", BOOLEAN).p("attachable", BOOLEAN, "3.2")
            .p("labels", LIST_OR_DICT)
            .closedX("3.7"));

    private static final Rule SEGMENTS = new Arr(obj().p("segments", LIST_OR_DICT).open(), false);

    private static final Rule VOLUME = nullable(obj()
            .p("name", STRING, "3.4").p("driver", STRING).p("driver_opts", STRING_OR_NUMBER_MAP)
            .p("external", EXTERNAL_CLOSED).p("labels", LIST_OR_DICT)
            .p("x-cluster-spec", obj().p("group", STRING)
                    .p("access_mode", obj().p("scope", STRING).p("sharing", STRING)
                            .p("block_volume", obj().open())
                            .p("mount_volume", obj().p("fs_type", STRING).p("mount_flags", new Arr(STRING, false))
                                    .open()).open())
                    .p("accessibility_requirements", obj().p("requisite", SEGMENTS).p("preferred", SEGMENTS).open())
                    .p("capacity_range", obj().p("required_bytes", STRING).p("limit_bytes", STRING).open())
                    .p("availability", STRING)
                    .open(), "3.10")
            .closedX("3.7"));

    private static final Rule SECRET = obj()
            .p("name", STRING, "3.5").p("file", STRING).p("external", EXTERNAL_OPEN).p("labels", LIST_OR_DICT)
            .p("driver", STRING, "3.8").p("driver_opts", STRING_OR_NUMBER_MAP, "3.8")
            .p("template_driver", STRING, "3.8")
            .closedX("3.7");

    private static final Rule CONFIG = obj()
            .p("name", STRING, "3.5").p("file", STRING).p("external", EXTERNAL_OPEN).p("labels", LIST_OR_DICT)
            .p("template_driver", STRING, "3.8")
            .closedX("3.7");

    private static final Obj ROOT = new Obj(new B()
            .p("version", STRING)
            .p("services", map(NAME, SERVICE))
            .p("networks", new Obj(Map.of(), NAME, NETWORK, null, true, false, List.of()))
            .p("volumes", map(NAME, VOLUME))
            .p("secrets", map(NAME, SECRET), "3.1")
            .p("configs", map(NAME, CONFIG), "3.3").props,
            null, null, "3.4", false, false, List.of());

    // ---- checking -----------------------------------------------------------------------------------

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
        String problem = check.checkAt(ROOT, root, new ArrayList<>());
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
            if (!typeMatches(sc.types, v)) {
                return fail(path, "must be a " + typeNames(sc.types));
            }
            if (sc.format != null && !formatMatches(sc.format, v)) {
                return fail(path, "Does not match format '" + sc.format + "'");
            }
            if (sc.oneOf != null && !sc.oneOf.contains(v.asText())) {
                return fail(path, "must be one of the following: \"" + String.join("\", \"", sc.oneOf) + "\"");
            }
            if (sc.minimum != null && v.isNumber() && v.doubleValue() < sc.minimum) {
                return fail(path, "must be greater than or equal to " + sc.minimum);
            }
            return null;
        }
        if (rule instanceof Arr arr) {
            if (!v.isArray()) {
                return fail(path, "must be a list");
            }
            for (int i = 0; i < v.size(); i++) {
                path.add(Integer.toString(i));
                String p = checkAt(arr.items, v.get(i), path);
                path.remove(path.size() - 1);
                if (p != null) {
                    return p;
                }
            }
            if (arr.unique) {
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
            for (Rule r : one.options) {
                if (shapeMatches(r, v)) {
                    candidates.add(r);
                }
            }
            if (candidates.isEmpty()) {
                List<String> names = new ArrayList<>();
                for (Rule r : one.options) {
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
        if (v.isNull() && o.nullable) {
            return null;
        }
        if (!v.isObject()) {
            return fail(path, "must be a " + (o.nullable ? "mapping or null" : "mapping"));
        }
        for (String req : o.required) {
            if (!v.has(req)) {
                return fail(path, req + " is required");
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            Prop prop = o.props.get(key);
            Rule child = null;
            if (prop != null && atLeast(prop.since)) {
                child = prop.rule;
            } else if (o.pattern != null && o.pattern.matcher(key).matches()) {
                child = o.patternRule;
            } else if (key.startsWith("x-") && o.extensionsSince != null && atLeast(o.extensionsSince)) {
                continue;
            } else if (!o.open) {
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
            return typeMatches(sc.types, v);
        }
        if (r instanceof Arr) {
            return v.isArray();
        }
        if (r instanceof OneOf one) {
            return one.options.stream().anyMatch(o -> shapeMatches(o, v));
        }
        Obj o = (Obj) r;
        return v.isObject() || (o.nullable && v.isNull());
    }

    private static String shapeName(Rule r) {
        if (r instanceof Scalar sc) {
            return typeNames(sc.types);
        }
        if (r instanceof Arr) {
            return "list";
        }
        if (r instanceof OneOf one) {
            return joinTypes(one.options.stream().map(SchemaCheck::shapeName).distinct().toList());
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
