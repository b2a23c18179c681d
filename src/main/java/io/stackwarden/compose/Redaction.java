package io.stackwarden.compose;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;

/**
 * Values interpolation put into a stack's files, to be kept out of its error messages: a later check
 * (schema, model, conversion) may quote a field whose value came from a secret {@code .env}. Each such value
 * is shown as the reference that produced it, {@code ${NAME}}. Very short values are left alone: they are
 * too common in messages to replace ("1", "true") and too short to be secrets, and so is the stack's name,
 * which every object name shows anyway.
 */
final class Redaction {

    private static final int MIN_LENGTH = 4;

    private final Map<String, String> references = new HashMap<>();

    /** Notes that variable {@code name} put {@code value} into the files. */
    void used(String name, String value) {
        if (value.length() >= MIN_LENGTH && !name.equals(ComposeLoader.STACK_NAME)) {
            references.putIfAbsent(value, "${" + name + "}");
        }
    }

    /** {@code message} with every noted value replaced by its reference, longest value first. */
    String apply(String message) {
        String out = message;
        for (String value : references.keySet().stream().sorted(Comparator.comparingInt(String::length).reversed()).toList()) {
            out = out.replace(value, references.get(value));
        }
        return out;
    }

    ComposeException apply(ComposeException e) {
        String reason = apply(e.reason());
        return reason.equals(e.reason()) ? e : new ComposeException(e.file(), e.line(), reason);
    }
}
