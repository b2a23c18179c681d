package io.stackwarden.compose;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The tiny schema language {@link ComposeSchema}'s tables are written in and {@link SchemaCheck} walks:
 * scalars, lists, mappings and alternatives, each property with the version it appeared in.
 */
final class SchemaRules {

    private SchemaRules() {
    }

    enum T { STRING, NUMBER, INTEGER, BOOLEAN, NULL, OBJECT, ARRAY }

    interface Rule {
    }

    /** Scalar of one of the given types, optionally with a format or enum. */
    record Scalar(List<T> types, String format, List<String> oneOf, Long minimum) implements Rule {
    }

    record Arr(Rule items, boolean unique) implements Rule {
    }

    record Prop(Rule rule, String since) {
    }

    /**
     * Mapping: named properties, values of keys matching {@code pattern}, {@code x-} keys allowed
     * from version {@code extensionsSince}, anything else refused unless {@code open}.
     */
    record Obj(Map<String, Prop> props, Pattern pattern, Rule patternRule, String extensionsSince,
                       boolean open, boolean nullable, List<String> required) implements Rule {
    }

    record OneOf(List<Rule> options) implements Rule {
    }

    static Scalar s(T... types) {
        return new Scalar(List.of(types), null, null, null);
    }

    static Scalar fmt(String format, T... types) {
        return new Scalar(List.of(types), format, null, null);
    }

    /** Builds a mapping rule property by property; {@code since} defaults to the first version. */
    static final class B {
        final Map<String, Prop> props = new LinkedHashMap<>();

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

    static B obj() {
        return new B();
    }

    static Obj map(Pattern keys, Rule values) {
        return new Obj(Map.of(), keys, values, null, false, false, List.of());
    }

    static Obj nullable(Obj o) {
        return new Obj(o.props, o.pattern, o.patternRule, o.extensionsSince, o.open, true, o.required);
    }
}
