package io.stackwarden.desired;

import java.util.Arrays;
import java.util.Optional;

/** A service field a stack's {@code ignore:} may name: its live value is kept, never corrected. */
public enum IgnorableField {
    REPLICAS("replicas"), ENV("env"), RESOURCES("resources");

    private final String word;

    IgnorableField(String word) {
        this.word = word;
    }

    public static Optional<IgnorableField> of(String word) {
        return Arrays.stream(values()).filter(field -> field.word.equals(word)).findFirst();
    }

    @Override
    public String toString() {
        return word;
    }
}
