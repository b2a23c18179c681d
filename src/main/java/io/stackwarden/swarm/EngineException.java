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

    /** The version index sent with an update is not the current one: someone else wrote the object first. */
    public boolean isOutOfSequence() {
        return says("update out of sequence");
    }

    /** The manager answers, but raft has no leader: too few managers are reachable (quorum lost). */
    public boolean isNoLeader() {
        return says("does not have a leader");
    }

    /** The engine refuses to remove a config, secret or network that something still uses. */
    public boolean isInUse() {
        return says("is in use by");
    }

    /**
     * The same call may succeed later without any change to what is sent: the engine did not answer, was busy
     * or failed on its own (a 5xx that is not a refused argument), or someone else wrote the object first.
     */
    public boolean isTransient() {
        return isUnreachable() || status >= 500 && !says("InvalidArgument") || isOutOfSequence();
    }

    private boolean says(String text) {
        return getMessage() != null && getMessage().contains(text);
    }

    /**
     * The object is not there (any more). Engine 20.10 sometimes answers 500 "... not found" for an object
     * its listing still shows, such as an overlay network whose removal is still settling.
     */
    public boolean isGone() {
        return isNotFound() || (status == 500 && says("not found"));
    }
}
