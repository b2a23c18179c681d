package io.stackwarden.loop;

/**
 * How one reconcile pass of one stack ended, and so what the queue does next.
 */
public record PassResult(Next next, String message) {

    public enum Next {
        /** Done: wait for the next trigger. */
        DONE,
        /** Transient failure: retry with per-stack exponential backoff. */
        RETRY,
        /** Terminal failure (invalid files): wait until something changes. */
        WAIT_FOR_CHANGE,
        /** Applied, still converging: look again soon, without holding a worker. */
        CHECK_SOON;

        /** What the status and the sync API call a pass that ends so. */
        public OperationResult result() {
            return switch (this) {
                case DONE, CHECK_SOON -> OperationResult.SUCCEEDED;
                case RETRY -> OperationResult.RETRYING;
                case WAIT_FOR_CHANGE -> OperationResult.FAILED;
            };
        }
    }

    public static PassResult done(String message) {
        return new PassResult(Next.DONE, message);
    }
}
