package io.stackwarden.reconcile;

/**
 * A write that cannot be made yet but will succeed on a later pass without any change to the files, such as
 * a network the manager still shows after its removal. The pass ends as a transient failure with this cause.
 */
final class RetryLater extends RuntimeException {

    RetryLater(String message, Throwable cause) {
        super(message, cause);
    }
}
