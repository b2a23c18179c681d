package io.stackwarden.notify;

/**
 * A notice that did not arrive. The message names the reason (an HTTP status, an unreadable file), never a
 * URL, a token or a secret.
 */
public final class DeliveryFailure extends Exception {

    private final boolean retryable;

    public DeliveryFailure(String message, boolean retryable) {
        super(message);
        this.retryable = retryable;
    }

    /** Whether trying again later may help: the receiver was busy or unreachable, not refusing. */
    public boolean retryable() {
        return retryable;
    }
}
