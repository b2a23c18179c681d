package io.stackwarden.loop;

import java.util.concurrent.CompletableFuture;

/**
 * A request that was queued: its operation id, and the outcome of the pass that served it
 * (a pass that started after the request was made).
 */
public record Ticket(String operationId, String stack, CompletableFuture<PassResult> outcome) {
}
