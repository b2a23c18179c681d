package io.stackwarden.compose.convert;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * cap_add / cap_drop as the CLI sends them: upper-cased with a {@code CAP_} prefix, deduplicated
 * and sorted; {@code ALL} replaces every other entry of its list, an added capability is not also
 * dropped, and {@code RESET} (meaningful for service updates only) is left out.
 */
record Capabilities(List<String> add, List<String> drop) {

    private static final String ALL = "ALL";
    private static final String RESET = "RESET";

    static Capabilities effective(List<String> add, List<String> drop) {
        Set<String> adds = normalize(add);
        Set<String> drops = normalize(drop);
        if (adds.contains(ALL)) {
            adds = new TreeSet<>(Set.of(ALL));
        }
        if (drops.contains(ALL)) {
            drops = new TreeSet<>(Set.of(ALL));
        }
        drops.removeAll(adds);
        adds.remove(RESET);
        drops.remove(RESET);
        return new Capabilities(List.copyOf(adds), List.copyOf(drops));
    }

    private static Set<String> normalize(List<String> capabilities) {
        Set<String> result = new TreeSet<>();
        if (capabilities != null) {
            for (String capability : capabilities) {
                String upper = capability.trim().toUpperCase(Locale.ROOT);
                result.add(upper.equals(ALL) || upper.equals(RESET) || upper.startsWith("CAP_") ? upper : "CAP_" + upper);
            }
        }
        return result;
    }
}
