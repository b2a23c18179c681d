package io.stackwarden.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

/**
 * One live swarm object as the engine reports it.
 *
 * @param version the swarm version index, required to update services, configs and secrets (0 for networks)
 * @param spec    the object's spec (for networks: the create-request fields of the inspect output)
 * @param raw     the whole inspect answer, for status and diagnostics
 */
public record SwarmObject(Kind kind, String id, String name, long version, Map<String, String> labels,
                          ObjectNode spec, JsonNode raw) {

    public ObjectKey key() {
        return new ObjectKey(kind, name);
    }

    public enum Kind {
        NETWORK("network"), SECRET("secret"), CONFIG("config"), SERVICE("service");

        private final String word;

        Kind(String word) {
            this.word = word;
        }

        @Override
        public String toString() {
            return word;
        }
    }
}
