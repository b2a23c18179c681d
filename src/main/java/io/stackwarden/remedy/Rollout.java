package io.stackwarden.remedy;

import com.fasterxml.jackson.databind.JsonNode;
import io.stackwarden.swarm.SwarmObject;

import java.util.Optional;

/**
 * A service's latest update or rollback as Swarm reports it ({@code UpdateStatus}); both empty when it never had one.
 *
 * @param state     {@code updating}, {@code paused}, {@code completed}, {@code rollback_started},
 *                  {@code rollback_paused} or {@code rollback_completed}
 * @param startedAt when it started, as the engine wrote it (it tells one update from the next)
 */
record Rollout(String state, String startedAt) {

    static Rollout of(SwarmObject service) {
        JsonNode status = service.raw() == null ? null : service.raw().get("UpdateStatus");
        return status == null ? new Rollout("", "")
                : new Rollout(status.path("State").asText(""), status.path("StartedAt").asText(""));
    }

    /** The update or rollback in progress, in words; empty when none is. */
    Optional<String> inProgress() {
        return switch (state) {
            case "updating" -> Optional.of("update");
            case "rollback_started" -> Optional.of("rollback");
            default -> Optional.empty();
        };
    }

    /** In progress or paused (it waits for someone: a forced update would resume or restart it), in words. */
    Optional<String> unfinished() {
        return switch (state) {
            case "paused" -> Optional.of("paused update");
            case "rollback_paused" -> Optional.of("paused rollback");
            default -> inProgress();
        };
    }

    /** Whether a newer update or rollback than {@code before} started and is no longer in progress. */
    boolean endedSince(Rollout before) {
        return !startedAt.isEmpty() && !startedAt.equals(before.startedAt) && inProgress().isEmpty();
    }
}
