package io.stackwarden.compose;

import java.io.IOException;

/**
 * A file Stackwarden will not (or could not) read, with the reason as a type. The message names the file
 * as the caller showed it (relative to the desired-state root) and never holds any of its content.
 */
public final class FileRefused extends IOException {

    /** Why the file was not read. */
    public enum Reason { OUTSIDE_ROOT, MISSING, NOT_REGULAR, TOO_LARGE, TOO_SLOW, UNREADABLE }

    private final Reason reason;
    private final String shown;
    private final String detail;

    public FileRefused(Reason reason, String shown, String detail) {
        super(shown + ": " + detail);
        this.reason = reason;
        this.shown = shown;
        this.detail = detail;
    }

    /** The message without the file name. */
    public String detail() {
        return detail;
    }

    public Reason reason() {
        return reason;
    }

    /** The file as named in the message. */
    public String shown() {
        return shown;
    }
}
