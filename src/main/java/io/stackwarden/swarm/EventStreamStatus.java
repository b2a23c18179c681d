package io.stackwarden.swarm;

import java.time.Instant;
import java.util.Optional;

/**
 * The state of the engine event stream, for health checks and metrics.
 *
 * @param since      when the stream connected, or when it was lost
 * @param lastEvent  time the last event was received (our clock), if any yet
 * @param events     events received since start
 * @param reconnects connections made after the first one
 */
public record EventStreamStatus(boolean connected, Instant since, Optional<Instant> lastEvent, long events,
                                long reconnects, Optional<String> problem) {
}
