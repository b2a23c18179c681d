package io.stackwarden.desired;

/** docker/cli's {@code --resolve-image} modes: when to pin a service's image to a registry digest. */
public enum ResolveImage {
    /** Pin on every create and every update of a service (the CLI's default). */
    ALWAYS,
    /** Pin on create and when the unpinned image reference changed. */
    CHANGED,
    /** Never ask the registry; use the reference as written. */
    NEVER;

    public static ResolveImage parse(String value) {
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "always" -> ALWAYS;
            case "changed" -> CHANGED;
            case "never" -> NEVER;
            default -> throw new IllegalArgumentException("resolve-image must be always, changed or never, not '" + value + "'");
        };
    }
}
