package io.stackwarden.desired;

/**
 * The desired state as a whole cannot be read (missing or unreadable directory, broken settings file).
 * Never to be taken as "no stacks": nothing may be pruned on it.
 */
public class DesiredStateException extends Exception {
    public DesiredStateException(String message, Throwable cause) {
        super(message, cause);
    }
}
