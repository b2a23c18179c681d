package io.stackwarden.desired.source;

/** The desired-state source could not be brought current or cannot be read; the message says why, without secrets. */
public class SourceException extends Exception {
    public SourceException(String message, Throwable cause) {
        super(message, cause);
    }

    public SourceException(String message) {
        super(message);
    }
}
