package io.stackwarden.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code auths} of a Docker {@code config.json}, as {@code docker login} writes it: per registry key an
 * {@code auth} (base64 of {@code user:password}) or {@code username}/{@code password}, and identity or
 * registry tokens. Credential helpers ({@code credsStore}, {@code credHelpers}) are programs on a
 * workstation and are not run. Errors name the key at most, never a value.
 */
public final class DockerConfigFile {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DockerConfigFile() {
    }

    /** The credentials per {@code auths} key, in file order. */
    public static Map<String, RegistryAuth> parse(byte[] content) throws RegistryConfigException {
        JsonNode root;
        try {
            root = JSON.readTree(content);
        } catch (IOException e) {
            // Jackson quotes the offending text: keep only where it is.
            throw new RegistryConfigException("not valid JSON" + location(e));
        }
        if (root == null || !root.isObject()) {
            throw new RegistryConfigException("not a JSON object");
        }
        JsonNode auths = root.path("auths");
        if (auths.isMissingNode() || auths.isNull()) {
            return Map.of();
        }
        if (!auths.isObject()) {
            throw new RegistryConfigException("\"auths\" is not an object");
        }
        Map<String, RegistryAuth> out = new LinkedHashMap<>();
        for (var entry : (Iterable<Map.Entry<String, JsonNode>>) auths::fields) {
            out.put(entry.getKey(), entry(entry.getKey(), entry.getValue()));
        }
        return Map.copyOf(out);
    }

    private static RegistryAuth entry(String key, JsonNode node) throws RegistryConfigException {
        if (!node.isObject()) {
            throw new RegistryConfigException("the entry of " + key + " in \"auths\" is not an object");
        }
        String username = text(key, node, "username");
        String password = text(key, node, "password");
        String auth = text(key, node, "auth");
        if (!auth.isEmpty()) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(auth.strip()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new RegistryConfigException("the \"auth\" of " + key + " is not base64");
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw new RegistryConfigException("the \"auth\" of " + key + " is not base64 of user:password");
            }
            username = decoded.substring(0, colon);
            password = decoded.substring(colon + 1);
        }
        return new RegistryAuth(key, username, password, text(key, node, "identitytoken"), text(key, node, "registrytoken"));
    }

    private static String text(String key, JsonNode node, String field) throws RegistryConfigException {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return "";
        }
        if (!value.isTextual()) {
            throw new RegistryConfigException("\"" + field + "\" of " + key + " is not a string");
        }
        return value.asText();
    }

    private static String location(IOException e) {
        if (e instanceof com.fasterxml.jackson.core.JsonProcessingException json && json.getLocation() != null) {
            return " (line " + json.getLocation().getLineNr() + ", column " + json.getLocation().getColumnNr() + ")";
        }
        return "";
    }
}
