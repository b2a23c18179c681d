package io.stackwarden.swarm;

/**
 * A Docker Engine call that failed. {@link #status()} is the HTTP status the engine answered,
 * or 0 when it did not answer at all (unreachable, timed out): callers retry those.
 */
public class EngineException extends RuntimeException {

    private final int status;

    public EngineException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public static EngineException unreachable(String what, Throwable cause) {
        String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new EngineException(0, what + ": engine did not answer: " + reason, cause);
    }

    public int status() {
        return status;
    }

    /** True when the engine did not answer; the same call may succeed later. */
    public boolean isUnreachable() {
        return status == 0;
    }

    public boolean isNotFound() {
        return status == 404;
    }

    /**
     * The object is not there (any more). Engine 20.10 sometimes answers 500 "... not found" for an object
     * its listing still shows, such as an overlay network whose removal is still settling.
     */
    public boolean isGone() {
        return isNotFound() || (status == 500 && getMessage() != null && getMessage().contains("not found"));
    }
}
