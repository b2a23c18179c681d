package io.stackwarden.swarm;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One message of the engine's event stream. Swarm events name the object ({@code name}) and, for
 * updates, a few changed fields ({@code replicas.new}, {@code state.new}, ...); they carry no labels.
 *
 * @param type   {@code service}, {@code network}, {@code config}, {@code secret}, {@code node}, ...
 * @param action {@code create}, {@code update}, {@code remove}, ...
 * @param id     the object's ID
 */
public record EngineEvent(String type, String action, String id, Map<String, String> attributes, Instant time) {

    public static EngineEvent of(JsonNode message) {
        JsonNode actor = message.path("Actor");
        Map<String, String> attributes = new LinkedHashMap<>();
        actor.path("Attributes").fields().forEachRemaining(e -> attributes.put(e.getKey(), e.getValue().asText()));
        long nanos = message.path("timeNano").asLong(0);
        Instant time = nanos > 0 ? Instant.ofEpochSecond(0, nanos) : Instant.ofEpochSecond(message.path("time").asLong(0));
        return new EngineEvent(message.path("Type").asText(""), message.path("Action").asText(""),
                actor.path("ID").asText(""), Map.copyOf(attributes), time);
    }

    /** The object's name, when the engine sent it. */
    public String name() {
        return attributes.getOrDefault("name", "");
    }

    /** The swarm object kind, for service, network, config and secret events. */
    public Optional<SwarmObject.Kind> kind() {
        for (SwarmObject.Kind kind : SwarmObject.Kind.values()) {
            if (kind.toString().equals(type)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }

    public boolean removal() {
        return "remove".equals(action);
    }
}
