package io.stackwarden.remedy;

/**
 * What a remedy did or waits to do for one service, as the stack status shows it per service.
 *
 * @param remedy    the remedy's name, as in the metric's {@code remedy} tag
 * @param state     {@code waiting} (a retry is due later, or waits for a condition), {@code retried} (retries made, no
 *                  failure since), {@code exhausted} (still failing after {@code maxRetries}; left alone until the spec
 *                  changes), {@code rebalanced} (a forced update spread it again), {@code skipped} (a safety limit left
 *                  it alone; {@code detail} says which); the node remedies' states are their agents' answers
 *                  ({@code killed}, {@code removed}, ...)
 * @param retries   forced updates made (the node remedies: agent actions asked for) (for the service's current spec, where the remedy counts per spec)
 * @param maxRetries the most it makes; 0 where there is no such limit
 * @param lastError the latest task error that called for the remedy, shortened; empty when none since the last retry
 * @param detail    what the remedy found, in words (which nodes, how many tasks on each); empty when nothing to add
 */
public record RemedyStatus(String remedy, String state, int retries, int maxRetries, String lastError, String detail) {

    public static final String WAITING = "waiting";
    public static final String RETRIED = "retried";
    public static final String EXHAUSTED = "exhausted";
    public static final String REBALANCED = "rebalanced";
    public static final String SKIPPED = "skipped";
    private static final int ERROR_LENGTH = 160;

    /** A status with nothing to add besides the error. */
    public RemedyStatus(String remedy, String state, int retries, int maxRetries, String lastError) {
        this(remedy, state, retries, maxRetries, lastError, "");
    }

    /** A task error short enough for a status line. */
    static String shortened(String error) {
        return error.length() <= ERROR_LENGTH ? error : error.substring(0, ERROR_LENGTH) + "...";
    }
}
