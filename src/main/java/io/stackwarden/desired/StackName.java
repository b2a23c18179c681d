package io.stackwarden.desired;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Stack names are folder names. They prefix every object name ({@code <stack>_<service>}), so they must
 * keep swarm service names valid: letters and digits, single inner {@code -} or {@code _}, at most 63
 * characters in all (a stack name of up to 48 leaves room for its services' names).
 */
public final class StackName {

    static final int MAX_LENGTH = 48;
    private static final Pattern VALID = Pattern.compile("[a-zA-Z0-9]+(?:[-_][a-zA-Z0-9]+)*");

    private StackName() {
    }

    /** Why {@code name} cannot be a stack name, if it cannot. */
    public static Optional<String> problem(String name) {
        if (name.isEmpty()) {
            return Optional.of("a stack name must not be empty");
        }
        if (name.length() > MAX_LENGTH) {
            return Optional.of("stack name \"" + name + "\" is longer than " + MAX_LENGTH + " characters");
        }
        if (!VALID.matcher(name).matches()) {
            return Optional.of("invalid stack name \"" + name
                    + "\": use letters, digits and single '-' or '_' between them (it prefixes every object name)");
        }
        return Optional.empty();
    }
}
