package io.stackwarden.reconcile;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** The JSON pointers at which two canonical specs differ (objects field by field, arrays whole). */
public final class SpecDiff {

    private SpecDiff() {
    }

    public static List<String> paths(JsonNode live, JsonNode desired) {
        List<String> paths = new ArrayList<>();
        collect("", live, desired, paths);
        return paths;
    }

    private static void collect(String pointer, JsonNode live, JsonNode desired, List<String> paths) {
        if (live != null && desired != null && live.isObject() && desired.isObject()) {
            TreeSet<String> names = new TreeSet<>();
            live.fieldNames().forEachRemaining(names::add);
            desired.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                collect(pointer + "/" + name.replace("~", "~0").replace("/", "~1"), live.get(name), desired.get(name), paths);
            }
        } else if (live == null ? desired != null : !live.equals(desired)) {
            paths.add(pointer.isEmpty() ? "/" : pointer);
        }
    }
}
