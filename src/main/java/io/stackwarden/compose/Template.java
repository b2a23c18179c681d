package io.stackwarden.compose;

import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * docker/cli's variable substitution in one string: {@code $VAR}, {@code ${VAR}}, {@code ${VAR:-default}},
 * {@code ${VAR-default}}, {@code ${VAR:?error}}, {@code ${VAR?error}} and {@code $$} for a literal dollar.
 * It deliberately keeps the CLI's quirks: a braced expression ends at the first {@code }} (so defaults
 * do not nest: {@code ${A:-${B}}} yields {@code ${B}} plus whatever follows), the unbraced form also takes a
 * modifier ({@code $A-x}), and only the last failing expression of a string is reported (a later valid
 * one clears the error, as in the CLI).
 */
final class Template {

    private static final String SUBST = "[_a-z][_a-z0-9]*(?::?[-?][^}]*)?";
    private static final Pattern PATTERN = Pattern.compile(
            "\\$(?i:(?<escaped>\\$)|(?<named>" + SUBST + ")|\\{(?<braced>" + SUBST + ")}|(?<invalid>))");

    /** Substitution failed; {@code template} is what the CLI quotes in its message. */
    static final class InvalidTemplate extends Exception {
        final String template;

        InvalidTemplate(String template) {
            super(template);
            this.template = template;
        }
    }

    private Template() {
    }

    static String substitute(String template, Function<String, Optional<String>> lookup) throws InvalidTemplate {
        Matcher m = PATTERN.matcher(template);
        StringBuilder out = new StringBuilder();
        String error = null;
        while (m.find()) {
            String replacement;
            if (m.group("escaped") != null) {
                replacement = "$";
            } else {
                String sub = m.group("named") != null ? m.group("named") : m.group("braced");
                if (sub == null) {
                    error = template;
                    replacement = "";
                } else {
                    error = null;
                    String[] result = apply(sub, lookup);
                    if (result[1] != null) {
                        error = result[1];
                        replacement = "";
                    } else {
                        replacement = result[0];
                    }
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        if (error != null) {
            throw new InvalidTemplate(error);
        }
        return out.toString();
    }

    /** Returns {value, error}; the modifiers are tried in the CLI's order :- then - then :? then ?. */
    private static String[] apply(String sub, Function<String, Optional<String>> lookup) {
        if (sub.contains(":-")) {
            String[] p = partition(sub, ":-");
            Optional<String> v = lookup.apply(p[0]);
            return new String[]{v.isEmpty() || v.get().isEmpty() ? p[1] : v.get(), null};
        }
        if (sub.contains("-")) {
            String[] p = partition(sub, "-");
            return new String[]{lookup.apply(p[0]).orElse(p[1]), null};
        }
        if (sub.contains(":?")) {
            String[] p = partition(sub, ":?");
            Optional<String> v = lookup.apply(p[0]);
            if (v.isEmpty() || v.get().isEmpty()) {
                return new String[]{"", "required variable " + p[0] + " is missing a value: " + p[1]};
            }
            return new String[]{v.get(), null};
        }
        if (sub.contains("?")) {
            String[] p = partition(sub, "?");
            Optional<String> v = lookup.apply(p[0]);
            if (v.isEmpty()) {
                return new String[]{"", "required variable " + p[0] + " is missing a value: " + p[1]};
            }
            return new String[]{v.get(), null};
        }
        return new String[]{lookup.apply(sub).orElse(""), null};
    }

    private static String[] partition(String s, String sep) {
        int i = s.indexOf(sep);
        return new String[]{s.substring(0, i), s.substring(i + sep.length())};
    }
}
