package io.stackwarden.desired;

import io.stackwarden.compose.BindPolicy;
import io.stackwarden.desired.ResolveImage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The optional {@code <desired-dir>/stackwarden.yaml}: defaults for every stack, shared variables,
 * per-stack settings, and safety limits. Unknown keys are errors, so a typo never silently
 * changes how a stack is deployed.
 *
 * <pre>
 * defaults: {resolveImage: always, prune: true, adopt: false, selfHeal: true}
 * variables: {DOMAIN: example.org}
 * allowEmpty: false
 * stacks:
 *   web: {files: [compose.yaml, compose.prod.yaml], variables: {...}, suspend: false, ignore: [replicas],
 *         bindSources: [/srv/web, /var/run/docker.sock], watchImages: 5m, rebalance: [web]}
 * </pre>
 */
public record WorkspaceSettings(StackSettings defaults, Map<String, StackSettings> stacks, boolean allowEmpty) {

    public static final String FILE_NAME = "stackwarden.yaml";
    private static final Set<String> TOP_KEYS = Set.of("defaults", "variables", "stacks", "allowEmpty");
    private static final Set<String> STACK_KEYS = Set.of("files", "variables", "resolveImage", "prune", "adopt",
            "selfHeal", "suspend", "ignore", "bindSources", "watchImages", "rebalance");
    /** Go-style durations as compose files write them: {@code 30s}, {@code 5m}, {@code 1h30m}. */
    private static final Pattern DURATION = Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");
    /** The shortest watch interval: a tag looked up more often would only load the registry. */
    static final Duration MIN_WATCH = Duration.ofSeconds(1);

    public static WorkspaceSettings empty() {
        return new WorkspaceSettings(StackSettings.defaults(), Map.of(), false);
    }

    /** The settings of one stack: its own entry over the defaults. */
    public StackSettings forStack(String stack) {
        return stacks.getOrDefault(stack, defaults);
    }

    /** Reads the parsed YAML document; throws {@link IllegalArgumentException} naming the bad key. */
    public static WorkspaceSettings from(Object document) {
        if (document == null) {
            return empty();
        }
        Map<String, Object> top = map(document, "");
        keys(top, TOP_KEYS, "");
        Map<String, Object> defaultsMap = top.containsKey("defaults") ? map(top.get("defaults"), "defaults") : Map.of();
        keys(defaultsMap, STACK_KEYS, "defaults");
        StackSettings base = StackSettings.defaults();
        Map<String, String> globalVariables = top.containsKey("variables") ? strings(top.get("variables"), "variables") : Map.of();
        StackSettings defaults = apply(new StackSettings(base.files(), globalVariables, base.resolveImage(), base.prune(),
                base.adopt(), base.selfHeal(), base.suspend(), base.ignore(), base.bindPolicy(), base.watchImages(),
                base.rebalance()),
                defaultsMap, "defaults");
        Map<String, StackSettings> stacks = new LinkedHashMap<>();
        if (top.containsKey("stacks")) {
            for (Map.Entry<String, Object> entry : map(top.get("stacks"), "stacks").entrySet()) {
                String where = "stacks." + entry.getKey();
                Map<String, Object> stack = entry.getValue() == null ? Map.of() : map(entry.getValue(), where);
                keys(stack, STACK_KEYS, where);
                stacks.put(entry.getKey(), apply(defaults, stack, where));
            }
        }
        return new WorkspaceSettings(defaults, Map.copyOf(stacks), bool(top, "allowEmpty", false, ""));
    }

    private static StackSettings apply(StackSettings base, Map<String, Object> map, String where) {
        Map<String, String> variables = new LinkedHashMap<>(base.variables());
        if (map.containsKey("variables")) {
            variables.putAll(strings(map.get("variables"), where + ".variables"));
        }
        ResolveImage resolveImage = base.resolveImage();
        if (map.containsKey("resolveImage")) {
            try {
                resolveImage = ResolveImage.parse(String.valueOf(map.get("resolveImage")));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ".resolveImage: " + e.getMessage());
            }
        }
        List<String> ignore = map.containsKey("ignore") ? list(map.get("ignore"), where + ".ignore") : base.ignore();
        for (String field : ignore) {
            if (IgnorableField.of(field).isEmpty()) {
                throw new IllegalArgumentException(where + ".ignore: unknown field \"" + field + "\" (one of "
                        + java.util.Arrays.toString(IgnorableField.values()) + ")");
            }
        }
        BindPolicy bindPolicy = base.bindPolicy();
        if (map.containsKey("bindSources")) {
            List<String> sources = list(map.get("bindSources"), where + ".bindSources");
            for (String source : sources) {
                if (!source.startsWith("/")) {
                    throw new IllegalArgumentException(where + ".bindSources: \"" + source + "\" is not an absolute path");
                }
            }
            bindPolicy = BindPolicy.only(sources);
        }
        return new StackSettings(
                map.containsKey("files") ? list(map.get("files"), where + ".files") : base.files(),
                Map.copyOf(variables), resolveImage,
                bool(map, "prune", base.prune(), where), bool(map, "adopt", base.adopt(), where),
                bool(map, "selfHeal", base.selfHeal(), where), bool(map, "suspend", base.suspend(), where), ignore,
                bindPolicy, map.containsKey("watchImages") ? watch(map.get("watchImages"), where + ".watchImages")
                        : base.watchImages(),
                map.containsKey("rebalance") ? RebalanceSetting.parse(map.get("rebalance"), where + ".rebalance")
                        : base.rebalance());
    }

    /** {@code false} or a duration of at least {@link #MIN_WATCH}. */
    private static Optional<Duration> watch(Object value, String where) {
        if (Boolean.FALSE.equals(value)) {
            return Optional.empty();
        }
        Matcher m = DURATION.matcher(String.valueOf(value).strip());
        if (!(value instanceof String) || !m.matches() || String.valueOf(value).isBlank()) {
            throw new IllegalArgumentException(where + " must be false or a duration such as 30s, 5m or 1h");
        }
        Duration interval = Duration.ofHours(m.group(1) == null ? 0 : Long.parseLong(m.group(1)))
                .plusMinutes(m.group(2) == null ? 0 : Long.parseLong(m.group(2)))
                .plusSeconds(m.group(3) == null ? 0 : Long.parseLong(m.group(3)));
        if (interval.compareTo(MIN_WATCH) < 0) {
            throw new IllegalArgumentException(where + " must be at least " + MIN_WATCH.toSeconds() + "s");
        }
        return Optional.of(interval);
    }

    private static void keys(Map<String, Object> map, Set<String> allowed, String where) {
        for (String key : map.keySet()) {
            if (!allowed.contains(key)) {
                throw new IllegalArgumentException((where.isEmpty() ? "" : where + ": ") + "unknown key \"" + key
                        + "\" (allowed: " + new java.util.TreeSet<>(allowed) + ")");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value, String where) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException((where.isEmpty() ? "the document" : where) + " must be a mapping");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    private static Map<String, String> strings(Object value, String where) {
        Map<String, String> out = new LinkedHashMap<>();
        map(value, where).forEach((k, v) -> {
            if (v instanceof Map || v instanceof List) {
                throw new IllegalArgumentException(where + "." + k + " must be a scalar");
            }
            out.put(k, v == null ? "" : String.valueOf(v));
        });
        return out;
    }

    private static List<String> list(Object value, String where) {
        if (!(value instanceof List<?> items)) {
            throw new IllegalArgumentException(where + " must be a list");
        }
        List<String> out = new ArrayList<>();
        items.forEach(item -> out.add(String.valueOf(item)));
        return List.copyOf(out);
    }

    private static boolean bool(Map<String, Object> map, String key, boolean fallback, String where) {
        Object value = map.get(key);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Boolean b)) {
            throw new IllegalArgumentException((where.isEmpty() ? "" : where + ".") + key + " must be true or false");
        }
        return b;
    }
}
