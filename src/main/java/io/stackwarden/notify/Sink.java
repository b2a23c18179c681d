package io.stackwarden.notify;

/** Where notices go: a chat, a webhook, a Git host's commit statuses. */
public interface Sink {

    /** Whether this sink has anything to say about {@code notice} (a commit status needs a Git revision). */
    default boolean handles(Notice notice) {
        return true;
    }

    /** Sends one notice; {@link DeliveryFailure} says why not and whether a retry may help. */
    void deliver(Notice notice) throws DeliveryFailure;
}
