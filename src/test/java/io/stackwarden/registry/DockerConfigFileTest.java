package io.stackwarden.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The config.json that docker login writes, read as the CLI reads it; errors never quote a value. */
class DockerConfigFileTest {

    private static Map<String, RegistryAuth> parse(String json) throws RegistryConfigException {
        return DockerConfigFile.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsAuthUsernamePasswordAndTokens() throws Exception {
        Map<String, RegistryAuth> auths = parse("""
                {"auths": {
                  "registry.example.test:5000": {"auth": "%s"},
                  "https://index.docker.io/v1/": {"username": "hub", "password": "p:w"},
                  "ghcr.example.test": {"identitytoken": "tok-1"}
                 },
                 "credsStore": "desktop"}""".formatted(b64("alice:s3cr:et")));
        assertEquals(new RegistryAuth("registry.example.test:5000", "alice", "s3cr:et", "", ""),
                auths.get("registry.example.test:5000"), "the password is everything after the first colon");
        assertEquals("hub", auths.get("https://index.docker.io/v1/").username());
        assertEquals("tok-1", auths.get("ghcr.example.test").identityToken());
        assertEquals(Map.of(), parse("{}"));
    }

    @Test
    void headerIsBase64UrlJsonOfTheAuthConfigWithoutEmptyFields() throws Exception {
        RegistryAuth auth = new RegistryAuth("r.example.test", "bob", "pa>ss?", "", "");
        JsonNode json = new ObjectMapper().readTree(Base64.getUrlDecoder().decode(auth.header()));
        assertEquals("bob", json.get("username").asText());
        assertEquals("pa>ss?", json.get("password").asText());
        assertEquals("r.example.test", json.get("serveraddress").asText());
        assertFalse(json.has("identitytoken"));
        assertFalse(auth.header().contains("+") || auth.header().contains("/"), "URL alphabet");
        assertFalse(auth.toString().contains("bob") || auth.toString().contains("pa>ss"), auth.toString());
    }

    @Test
    void errorsNameTheEntryButNeverAValue() {
        String secret = "hunter2-secret";
        for (String bad : new String[] {
                "{\"auths\": {\"r.test\": {\"auth\": \"" + secret + "!!\"}}}",
                "{\"auths\": {\"r.test\": {\"auth\": \"" + b64(secret) + "\"}}}",
                "{\"auths\": {\"r.test\": {\"password\": 42}}}",
                "{\"auths\": [\"" + secret + "\"]}",
                "{\"auths\": {\"r.test\": {\"auth\": \"" + secret,
        }) {
            RegistryConfigException e = assertThrows(RegistryConfigException.class, () -> parse(bad), bad);
            assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
            assertTrue(e.getMessage().contains("r.test") || e.getMessage().contains("auths") || e.getMessage().contains("JSON"),
                    e.getMessage());
        }
    }
}
