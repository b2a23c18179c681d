package io.stackwarden.reconcile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwarden.registry.RegistryAuth;
import io.stackwarden.registry.RegistryCredentials;

import java.util.Optional;

/**
 * The {@code X-Registry-Auth} header sent with a service create or update so that the nodes can pull its image,
 * as {@code docker stack deploy --with-registry-auth} sends it: the credentials for the image's registry, when
 * there are any and sending is on ({@code stackwarden.registry.send-auth}).
 */
public record PullCredentials(RegistryCredentials credentials, boolean send) {

    public static PullCredentials none() {
        return new PullCredentials(RegistryCredentials.none(), false);
    }

    /** The header for a service spec's image; empty for other objects, when off, or without credentials. */
    Optional<String> headerFor(ObjectNode serviceSpec) {
        if (!send) {
            return Optional.empty();
        }
        String image = serviceSpec.at("/TaskTemplate/ContainerSpec/Image").asText("");
        return image.isEmpty() ? Optional.empty() : credentials.forImage(image).map(RegistryAuth::header);
    }
}
