package io.stackwarden.reconcile;

import java.util.List;

/**
 * The outcome of one reconcile of one stack; it decides what happens next (controller-runtime style).
 *
 * @param writes the writes that were made, in order
 */
public record ReconcileResult(Outcome outcome, List<Action> writes, String message) {

    public enum Outcome {
        /** Live state already equal to the desired state: no write was made. */
        IN_SYNC,
        /** Writes were made and all succeeded. */
        APPLIED,
        /** The engine was unreachable or busy; retry with backoff. */
        TRANSIENT_FAILURE,
        /** The desired state cannot be applied as it is; wait for it to change. */
        TERMINAL_FAILURE
    }

    public static ReconcileResult terminal(String message, List<Action> writes) {
        return new ReconcileResult(Outcome.TERMINAL_FAILURE, List.copyOf(writes), message);
    }

    public static ReconcileResult transientFailure(String message, List<Action> writes) {
        return new ReconcileResult(Outcome.TRANSIENT_FAILURE, List.copyOf(writes), message);
    }

    public boolean failed() {
        return outcome == Outcome.TRANSIENT_FAILURE || outcome == Outcome.TERMINAL_FAILURE;
    }
}
