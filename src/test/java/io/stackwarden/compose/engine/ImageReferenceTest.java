package io.stackwarden.compose.engine;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The image text docker/cli 28.2.2's API client sends on service create and update, for every reference form. */
class ImageReferenceTest {

    private static final String DIGEST = "sha256:" + "ab".repeat(32);

    @Test
    void untaggedReferencesGetLatest() {
        assertEquals("busybox:latest", ImageReference.engineForm("busybox"));
        assertEquals("team/app:latest", ImageReference.engineForm("team/app"));
        assertEquals("registry.example.test:5000/team/app:latest",
                ImageReference.engineForm("registry.example.test:5000/team/app"));
        assertEquals("localhost/app:latest", ImageReference.engineForm("localhost/app"));
        assertEquals("localhost:5000/app:latest", ImageReference.engineForm("localhost:5000/app"));
        assertEquals("[::1]:5000/app:latest", ImageReference.engineForm("[::1]:5000/app"));
    }

    @Test
    void dockerHubNamesTakeTheirFamiliarForm() {
        assertEquals("busybox:latest", ImageReference.engineForm("docker.io/library/busybox"));
        assertEquals("busybox:1.36", ImageReference.engineForm("docker.io/library/busybox:1.36"));
        assertEquals("busybox:latest", ImageReference.engineForm("docker.io/busybox"));
        assertEquals("busybox:latest", ImageReference.engineForm("index.docker.io/busybox"));
        assertEquals("library/a/b:latest", ImageReference.engineForm("library/a/b"));
        assertEquals("traefik/whoami:v1", ImageReference.engineForm("docker.io/traefik/whoami:v1"));
        // Only Docker Hub is familiarised: another registry keeps its library/ path.
        assertEquals("registry.example.test/library/busybox:latest",
                ImageReference.engineForm("registry.example.test/library/busybox"));
    }

    @Test
    void tagsAndDigestsStay() {
        assertEquals("busybox:1.36", ImageReference.engineForm("busybox:1.36"));
        assertEquals("busybox@" + DIGEST, ImageReference.engineForm("busybox@" + DIGEST));
        assertEquals("busybox:1@" + DIGEST, ImageReference.engineForm("docker.io/library/busybox:1@" + DIGEST));
        assertEquals("registry.example.test:5000/team/app@" + DIGEST,
                ImageReference.engineForm("registry.example.test:5000/team/app@" + DIGEST));
    }

    @Test
    void referencesTheParserRefusesAreSentAsWritten() {
        String id = "0123456789abcdef".repeat(4);
        assertEquals(id, ImageReference.engineForm(id));
        assertEquals("busybox@md5:" + "ab".repeat(16), ImageReference.engineForm("busybox@md5:" + "ab".repeat(16)));
        assertEquals("Busybox", ImageReference.engineForm("Busybox"));
        // An upper-case first component is a registry host, as the CLI reads it.
        assertEquals("Registry/app:latest", ImageReference.engineForm("Registry/app"));
    }
}
