package io.stackwarden.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a registry says about an image tag, through the engine's distribution endpoint.
 *
 * @param digest    the manifest digest, e.g. {@code sha256:...}
 * @param platforms the platforms the manifest serves, as the Swarm {@code Placement.Platforms} the CLI writes
 */
public record ImageDistribution(String digest, ArrayNode platforms) {

    /**
     * Reads the engine's {@code /distribution/{name}/json} answer. Platforms become Swarm platforms as the CLI's
     * client makes them: architecture and OS only, and no architecture for {@code arm}, because nodes report
     * {@code armv7l} and the like and a constraint on {@code arm} would match none of them.
     */
    public static ImageDistribution of(JsonNode answer) {
        ArrayNode platforms = JsonNodeFactory.instance.arrayNode();
        for (JsonNode platform : answer.path("Platforms")) {
            ObjectNode out = platforms.addObject();
            String architecture = platform.path("architecture").asText("");
            if (!architecture.isEmpty() && !architecture.equalsIgnoreCase("arm")) {
                out.put("Architecture", architecture);
            }
            String os = platform.path("os").asText("");
            if (!os.isEmpty()) {
                out.put("OS", os);
            }
        }
        return new ImageDistribution(answer.path("Descriptor").path("digest").asText(), platforms);
    }
}
