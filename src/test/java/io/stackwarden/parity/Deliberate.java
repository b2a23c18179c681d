package io.stackwarden.parity;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The differences {@code docs/parity.md} lists as deliberate, each tied to its row there. A difference the
 * suite finds is allowed only when one of these matches it; everything else fails the test.
 */
final class Deliberate {

    /** One allowed difference: the parity.md row, and which differences it covers. */
    record Rule(int row, String what, Predicate<Found> matches) {
    }

    /** A difference on one object: {@code object} is {@code "<kind> <name>"}. */
    record Found(String object, JsonDiff.Difference difference) {
    }

    static final List<Rule> RULES = List.of();

    private Deliberate() {
    }

    static Optional<Rule> allowing(Found found) {
        return RULES.stream().filter(rule -> rule.matches().test(found)).findFirst();
    }
}
