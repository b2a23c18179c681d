package io.stackwarden.swarm;

import com.fasterxml.jackson.databind.node.ArrayNode;

/**
 * What a registry says about an image tag, through the engine's distribution endpoint.
 *
 * @param digest    the manifest digest, e.g. {@code sha256:...}
 * @param platforms the platforms the manifest serves, as Engine API {@code Platform} objects
 */
public record ImageDistribution(String digest, ArrayNode platforms) {
}
