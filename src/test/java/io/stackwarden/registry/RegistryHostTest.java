package io.stackwarden.registry;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which credentials serve an image, by the CLI's rules. */
class RegistryHostTest {

    private static RegistryAuth auth(String key) {
        return new RegistryAuth(key, "u-" + key, "p", "", "");
    }

    private static Optional<String> keyFor(Map<String, RegistryAuth> auths, String image) {
        RegistryCredentials credentials = RegistryCredentialsTest.inMemory(auths);
        return credentials.forImage(image).map(RegistryAuth::serverAddress);
    }

    @Test
    void dockerHubAndItsAliases() {
        for (String key : new String[] {"https://index.docker.io/v1/", "docker.io", "index.docker.io",
                "https://index.docker.io/v2/"}) {
            Map<String, RegistryAuth> auths = Map.of(key, auth(key), "other.example.test", auth("other.example.test"));
            for (String image : new String[] {"busybox", "library/busybox:1", "docker.io/team/app:2",
                    "index.docker.io/library/redis@sha256:" + "a".repeat(64)}) {
                assertEquals(Optional.of(key), keyFor(auths, image), key + " for " + image);
            }
        }
        // docker login's own key wins over an alias.
        assertEquals(Optional.of("https://index.docker.io/v1/"), keyFor(Map.of("docker.io", auth("docker.io"),
                "https://index.docker.io/v1/", auth("https://index.docker.io/v1/")), "busybox"));
    }

    @Test
    void hostAndPortMatchExactlyOrAsTheHostOfAUrl() {
        Map<String, RegistryAuth> auths = Map.of("registry.example.test:5000", auth("registry.example.test:5000"),
                "https://registry.example.test/v2/", auth("https://registry.example.test/v2/"),
                "http://10.0.0.5:5001", auth("http://10.0.0.5:5001"));
        assertEquals(Optional.of("registry.example.test:5000"), keyFor(auths, "registry.example.test:5000/team/app:1"));
        assertEquals(Optional.of("https://registry.example.test/v2/"), keyFor(auths, "registry.example.test/app"));
        assertEquals(Optional.of("http://10.0.0.5:5001"), keyFor(auths, "10.0.0.5:5001/x/y:3"));
        assertEquals(Optional.empty(), keyFor(auths, "10.0.0.5:5000/x/y:3"), "another port is another registry");
        assertEquals(Optional.empty(), keyFor(auths, "registry.example.test:443/app"));
        assertEquals(Optional.empty(), keyFor(auths, "busybox"), "no Docker Hub entry");
        assertEquals(Optional.empty(), keyFor(auths, "a".repeat(64)), "an image ID names no registry");
    }
}
