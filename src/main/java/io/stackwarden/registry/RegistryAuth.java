package io.stackwarden.registry;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The credentials of one registry as the Engine API takes them (its {@code AuthConfig}). {@link #toString()}
 * names the registry only, so a credential cannot reach a log or a message by accident.
 *
 * @param serverAddress the {@code auths} key they were found under
 */
public record RegistryAuth(String serverAddress, String username, String password, String identityToken,
                           String registryToken) {

    public RegistryAuth {
        serverAddress = nonNull(serverAddress);
        username = nonNull(username);
        password = nonNull(password);
        identityToken = nonNull(identityToken);
        registryToken = nonNull(registryToken);
    }

    /**
     * The {@code X-Registry-Auth} header: the AuthConfig as JSON, base64url with padding, empty fields left
     * out, as the CLI encodes it.
     */
    public String header() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        put(json, "username", username);
        put(json, "password", password);
        put(json, "serveraddress", serverAddress);
        put(json, "identitytoken", identityToken);
        put(json, "registrytoken", registryToken);
        return Base64.getUrlEncoder().encodeToString(json.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void put(ObjectNode json, String field, String value) {
        if (!value.isEmpty()) {
            json.put(field, value);
        }
    }

    private static String nonNull(String value) {
        return value == null ? "" : value;
    }

    @Override
    public String toString() {
        return "credentials for " + serverAddress;
    }
}
