package io.stackwarden.compose;

import java.time.Duration;

/**
 * What loading one stack may produce, so that no stack can hold a worker or the heap: text (scalars and
 * keys, counted each time an alias repeats them and again for every interpolated value), nodes after
 * alias expansion, nesting depth, key length, and time. Small files can expand without end through
 * aliases and variables; the file caps alone do not bound that. One budget per stack load, shared by
 * all its files; not thread-safe.
 */
final class LoadBudget {

    /** Characters of scalars and keys after alias expansion and interpolation. */
    static final long MAX_CHARS = 16L << 20;
    /** Nodes after alias expansion (and YAML events of one file before it). */
    static final int MAX_NODES = 250_000;
    /** Nesting of mappings and sequences. */
    static final int MAX_DEPTH = 100;
    /** Longest mapping key. */
    static final int MAX_KEY = 4096;
    /** Longest a stack's load may take. */
    static final Duration MAX_TIME = Duration.ofSeconds(20);

    private final Duration time;
    private final long deadline;
    private long chars;
    private int nodes;

    LoadBudget() {
        this(MAX_TIME);
    }

    /** A budget with another time limit (tests). */
    LoadBudget(Duration time) {
        this.time = time;
        this.deadline = System.nanoTime() + time.toNanos();
    }

    /** One more node in the expanded tree. */
    void node(String file, int line) throws ComposeException {
        if (++nodes > MAX_NODES) {
            throw new ComposeException(file, line, "yaml: the document expands to more than " + MAX_NODES
                    + " nodes (aliases counted each time they are used)");
        }
        if ((nodes & 1023) == 0) {
            time(file, line);
        }
    }

    /** Text produced; false once the stack has produced more than {@link #MAX_CHARS}. */
    boolean text(long length) {
        chars += length;
        return chars <= MAX_CHARS;
    }

    /** The error for text over budget. */
    ComposeException tooMuchText(String file, int line) {
        return new ComposeException(file, line, "the stack expands to more than " + (MAX_CHARS >> 20)
                + " Mi characters of text (aliases and interpolated variables counted each time they are used)");
    }

    void time(String file, int line) throws ComposeException {
        if (System.nanoTime() - deadline > 0) {
            throw new ComposeException(file, line, "loading the stack took longer than " + time.toSeconds() + " s");
        }
    }
}
