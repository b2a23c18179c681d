package io.stackwarden.swarm;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/** The engine's RFC 3339 timestamps (nanosecond precision); a missing or unreadable one is the epoch. */
public final class Timestamps {

    private Timestamps() {
    }

    public static Instant parse(String text) {
        if (text == null || text.isEmpty()) {
            return Instant.EPOCH;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }

    /** When a versioned object (service, config, secret) was last written, from its inspect answer. */
    public static Instant updatedAt(SwarmObject object) {
        JsonNode raw = object.raw();
        return parse(raw == null ? "" : raw.path("UpdatedAt").asText(""));
    }
}
