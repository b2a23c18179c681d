package io.stackwarden.config;

/** One invalid configuration value, named by its property so the operator knows what to fix. */
public record ConfigProblem(String property, String value, String reason) {
    @Override
    public String toString() {
        return property + "=" + value + ": " + reason;
    }
}
