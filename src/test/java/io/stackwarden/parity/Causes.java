package io.stackwarden.parity;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The key phrases of an error: what a user must fix (a key path, a property, an option, a variable), without
 * the wording around it. Two tools reject a file "for the same cause" when the other's message names all the
 * phrases of the CLI's.
 */
final class Causes {

    private static final List<Pattern> PHRASES = List.of(
            Pattern.compile("Additional property (\\S+) is not allowed"),
            Pattern.compile("(?m)^(\\S+) must be "),
            Pattern.compile("(?m)^(\\S+) Does not match format"),
            Pattern.compile("(?m)^(\\S+) (?:is|are) (?:required|invalid)"),
            Pattern.compile("(?m)^([a-z_]+): (?:Set|Support|To share|Instead|Setting|Exposing)"),
            Pattern.compile("(?:variable|Variable) \"?([A-Za-z0-9_]+)"),
            Pattern.compile("Error response from daemon: ([^\\n]+)"),
            Pattern.compile("(?:undefined|Undefined) (network|secret|config|volume) \"?([^\"\\s]+)"),
            Pattern.compile("declared as external, but could not be found"),
            // "replicas can only be used with replicated or replicated-job mode": the property is the cause.
            Pattern.compile("(\\S+) can only be used with "),
            // The CLI names the env file by its absolute path, Stackwarden by its path in the desired state.
            Pattern.compile("invalid env file \\([^)]*\\): ([^\\n]+)"));

    private Causes() {
    }

    /** The CLI's output without its progress lines and warnings: what is left is the error. */
    static String error(String output) {
        StringBuilder out = new StringBuilder();
        for (String line : output.split("\n")) {
            if (line.startsWith("time=") || line.startsWith("Creating ") || line.startsWith("Updating ")
                    || line.startsWith("Ignoring ") || line.startsWith("Since --detach") || line.startsWith("In a future release")
                    || line.startsWith("container_name: Setting") || line.startsWith("expose: Exposing")) {
                continue;
            }
            out.append(line).append('\n');
        }
        return out.toString().trim();
    }

    /** The phrases of {@code message}, or its last meaningful line when none is recognised. */
    static Set<String> phrases(String output) {
        String message = error(output);
        Set<String> phrases = new LinkedHashSet<>();
        for (Pattern pattern : PHRASES) {
            Matcher m = pattern.matcher(message);
            while (m.find()) {
                phrases.add(m.groupCount() == 0 ? m.group() : m.group(m.groupCount()));
            }
        }
        if (phrases.isEmpty()) {
            List<String> lines = new ArrayList<>();
            for (String line : message.split("\n")) {
                if (!line.isBlank() && !line.startsWith("time=") && !line.startsWith("Creating ")
                        && !line.startsWith("Ignoring ") && !line.startsWith("Since --detach")) {
                    lines.add(line.trim());
                }
            }
            if (!lines.isEmpty()) {
                phrases.add(lines.get(lines.size() - 1));
            }
        }
        return phrases;
    }

    /**
     * The phrases of the CLI's message that {@code other} does not name. A key path under {@code services.<name>}
     * also matches the same path under another service: the CLI validates services in Go map order, so which of
     * several offending services it names first changes from run to run.
     */
    static List<String> missing(String cliMessage, String other) {
        String lower = other.toLowerCase(Locale.ROOT);
        return phrases(cliMessage).stream().filter(p -> !named(p.toLowerCase(Locale.ROOT), lower)).toList();
    }

    private static boolean named(String phrase, String message) {
        if (message.contains(phrase)) {
            return true;
        }
        Matcher service = Pattern.compile("^services\\.[^.]+\\.(.+)$").matcher(phrase);
        return service.matches() && Pattern.compile("services\\.[^.\\s]+\\." + Pattern.quote(service.group(1)))
                .matcher(message).find();
    }
}
