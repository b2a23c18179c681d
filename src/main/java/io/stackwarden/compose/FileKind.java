package io.stackwarden.compose;

/**
 * The kinds of file Stackwarden reads, each with its size cap. Caps sit far above any real file of the
 * kind and far below what could hurt the heap: a file is read whole into memory, and several stacks load
 * at the same time.
 */
public enum FileKind {
    /** A compose file: the CLI has no cap; 4 MiB is hundreds of services. */
    COMPOSE("compose file", 4L << 20),
    /** A stack's {@code .env} or an {@code env_file}. */
    ENV("env file", 1L << 20),
    /** A config's or secret's {@code file:}; Swarm itself refuses more than 500 KiB, the cap leaves room for its message. */
    OBJECT("config or secret file", 1000L << 10),
    /** The shared {@code stackwarden.yaml}. */
    SETTINGS("settings file", 1L << 20),
    /** A Docker {@code config.json} with registry credentials ({@code stackwarden.registry.auth-file}). */
    REGISTRY_AUTH("registry credentials file", 1L << 20),
    /** A token, webhook secret or key named by a property. */
    CREDENTIAL("credential file", 64L << 10);

    private final String label;
    private final long maxBytes;

    FileKind(String label, long maxBytes) {
        this.label = label;
        this.maxBytes = maxBytes;
    }

    /** How messages name a file of this kind. */
    public String label() {
        return label;
    }

    /** Largest accepted size in bytes. */
    public long maxBytes() {
        return maxBytes;
    }

    /** The cap as people write it: {@code 4 MiB}, {@code 1000 KiB}. */
    public String maxShown() {
        return maxBytes % (1L << 20) == 0 ? (maxBytes >> 20) + " MiB" : (maxBytes >> 10) + " KiB";
    }
}
