package io.stackwarden.compose;

import java.nio.file.Path;

/**
 * Anything wrong in a stack's compose files (or the files they reference). Carries the file and,
 * where the YAML source is known, the 1-based line, so an operator can fix the input directly.
 */
public class ComposeException extends Exception {

    private final String file;
    private final int line;
    private final String reason;

    public ComposeException(String file, int line, String reason) {
        super(format(file, line, reason));
        this.file = file;
        this.line = line;
        this.reason = reason;
    }

    public ComposeException(Path file, int line, String reason) {
        this(file == null ? null : file.toString(), line, reason);
    }

    private static String format(String file, int line, String reason) {
        if (file == null) {
            return reason;
        }
        return line > 0 ? file + ":" + line + ": " + reason : file + ": " + reason;
    }

    /** The compose (or referenced) file at fault, or null when the problem spans the whole stack. */
    public String file() {
        return file;
    }

    /** 1-based line in {@link #file()}, or 0 when unknown. */
    public int line() {
        return line;
    }

    /** The cause without the location prefix. */
    public String reason() {
        return reason;
    }
}
