package io.stackwarden.parity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Field-by-field differences of two JSON trees, as JSON pointers with both values. */
final class JsonDiff {

    record Difference(String pointer, JsonNode cli, JsonNode stackwarden) {
        @Override
        public String toString() {
            return pointer + ": cli=" + show(cli) + " stackwarden=" + show(stackwarden);
        }

        private static String show(JsonNode node) {
            return node.isMissingNode() ? "<absent>" : node.toString();
        }
    }

    private JsonDiff() {
    }

    static List<Difference> diff(JsonNode cli, JsonNode stackwarden) {
        List<Difference> out = new ArrayList<>();
        diff("", cli, stackwarden, out);
        return out;
    }

    private static void diff(String pointer, JsonNode a, JsonNode b, List<Difference> out) {
        if (a.isObject() && b.isObject()) {
            TreeSet<String> names = new TreeSet<>();
            a.fieldNames().forEachRemaining(names::add);
            b.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                diff(pointer + "/" + name.replace("~", "~0").replace("/", "~1"), a.path(name), b.path(name), out);
            }
        } else if (a.isArray() && b.isArray() && a.size() == b.size()) {
            for (int i = 0; i < a.size(); i++) {
                diff(pointer + "/" + i, a.get(i), b.get(i), out);
            }
        } else if (!a.equals(b) && !(a.isNumber() && b.isNumber() && a.decimalValue().compareTo(b.decimalValue()) == 0)) {
            out.add(new Difference(pointer.isEmpty() ? "/" : pointer, a == null ? MissingNode.getInstance() : a,
                    b == null ? MissingNode.getInstance() : b));
        }
    }
}
