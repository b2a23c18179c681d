package io.stackwarden.api.webhook;

/** A delivery whose payload is not what its provider sends for the event it names (HTTP 400). */
public class InvalidPayload extends Exception {

    public InvalidPayload(String message) {
        super(message);
    }
}
