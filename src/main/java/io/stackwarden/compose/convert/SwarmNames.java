package io.stackwarden.compose.convert;

import java.util.Optional;

/**
 * Swarm's limits on object names, checked before anything is written so that a name the engine would
 * refuse fails the conversion (and {@code render}) instead of a pass halfway through. The rules and
 * messages are swarmkit's ({@code manager/controlapi/common.go}): services and networks must be DNS
 * name components of at most 63 characters ({@code validateAnnotations}); configs and secrets at most
 * 64 characters of {@code [a-zA-Z0-9-_.]} ({@code validateConfigOrSecretAnnotations}). Checked
 * character by character instead of with swarmkit's regular expressions, whose nested repetition
 * would backtrack for a very long name in Java.
 */
public final class SwarmNames {

    static final String NOT_DNS = "name must be valid as a DNS name component";
    static final String TOO_LONG_DNS = "name must be 63 characters or fewer";
    static final String BAD_CONFIG_OR_SECRET =
            "invalid name, only 64 [a-zA-Z0-9-_.] characters allowed, and the start and end character must be [a-zA-Z0-9]";
    /** Longest name shown in a message: the rest of a huge name says nothing more. */
    private static final int SHOWN = 80;

    private SwarmNames() {
    }

    /** Why the engine would refuse this service or network name, if it would. */
    public static Optional<String> serviceOrNetworkProblem(String name) {
        if (!edgesAlphanumeric(name) || !allOf(name, "-_")) {
            return Optional.of(NOT_DNS);
        }
        return name.length() > 63 ? Optional.of(TOO_LONG_DNS) : Optional.empty();
    }

    /** Why the engine would refuse this config or secret name, if it would. */
    public static Optional<String> configOrSecretProblem(String name) {
        return name.length() > 64 || !charactersFitConfigOrSecret(name) ? Optional.of(BAD_CONFIG_OR_SECRET) : Optional.empty();
    }

    /** The characters alone (no length): for a name that is cut to fit before it is written. */
    static boolean charactersFitConfigOrSecret(String name) {
        return edgesAlphanumeric(name) && allOf(name, "-_.");
    }

    /** The name as an error message shows it: cut when very long, with its length. */
    static String shown(String name) {
        return "\"" + cut(name) + "\"" + (name.length() > SHOWN ? " (" + name.length() + " characters)" : "");
    }

    /** A key or name cut to what a message shows. */
    static String cut(String name) {
        return name.length() <= SHOWN ? name : name.substring(0, SHOWN) + "...";
    }

    private static boolean edgesAlphanumeric(String name) {
        return !name.isEmpty() && alphanumeric(name.charAt(0)) && alphanumeric(name.charAt(name.length() - 1));
    }

    private static boolean allOf(String name, String separators) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!alphanumeric(c) && separators.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean alphanumeric(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
