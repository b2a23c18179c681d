package io.stackwarden.remedy;

/**
 * What a remedy did or waits to do for one service, as the stack status shows it per service.
 *
 * @param remedy    the remedy's name, as in the metric's {@code remedy} tag
 * @param state     {@code waiting} (a retry is due later), {@code retried} (retries made, no failure since),
 *                  {@code exhausted} (still failing after {@code maxRetries}; left alone until the spec changes)
 * @param retries   retries made for the service's current spec
 * @param lastError the latest task error that called for the remedy, shortened; empty when none since the last retry
 */
public record RemedyStatus(String remedy, String state, int retries, int maxRetries, String lastError) {

    public static final String WAITING = "waiting";
    public static final String RETRIED = "retried";
    public static final String EXHAUSTED = "exhausted";
}
