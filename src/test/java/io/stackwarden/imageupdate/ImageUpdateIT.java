package io.stackwarden.imageupdate;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackwarden.lab.Daemon;
import io.stackwarden.lab.Lab;
import io.stackwarden.support.Await;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Image updates on purpose, on the lab with the packaged daemon: an image pushed again under the same tag is
 * rolled out by the watch for the stack that opted in (and only its service of that image is written), not for a
 * stack that did not, and a registry's push notification rolls it out at once for a stack whose interval is long.
 */
class ImageUpdateIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RUN = Long.toString(Math.abs(new Random().nextLong()) % 46656, 36);
    private static final String WATCHED = "updw" + RUN;
    private static final String PLAIN = "updp" + RUN;
    private static final String HOOKED = "updh" + RUN;
    private static final String SECRET = "image-update-it-secret";
    private static final Pattern DIGEST = Pattern.compile("digest: (sha256:[0-9a-f]{64})");

    private static String repository;
    private static String image;
    /** The hooked stack's own image: no other stack's lookups tell it that its tag moved. */
    private static String hookImage;
    private static Path work;
    private static Daemon daemon;

    @BeforeAll
    static void start() throws Exception {
        repository = "itupd" + RUN + "/app";
        image = Lab.registry() + "/" + repository + ":1";
        hookImage = Lab.registry() + "/itupd" + RUN + "/hook:1";
        push("sleep", image);
        push("sleep", hookImage);
        work = Files.createTempDirectory("stackwarden-imageupdate");
        Path desired = work.resolve("desired");
        for (String stack : List.of(WATCHED, PLAIN, HOOKED)) {
            Files.createDirectories(desired.resolve(stack));
            Files.writeString(desired.resolve(stack).resolve("compose.yaml"), """
                    services:
                      app:
                        image: %s
                      other:
                        image: %s/stackwarden-lab/sleep:1
                    """.formatted(stack.equals(HOOKED) ? hookImage : image, Lab.registry()));
        }
        Files.writeString(desired.resolve("stackwarden.yaml"), """
                defaults: {prune: false}
                stacks:
                  %s: {watchImages: 2s}
                  %s: {watchImages: 1h}
                """.formatted(WATCHED, HOOKED));
        Path secret = work.resolve("webhook-secret");
        Files.writeString(secret, SECRET);
        daemon = Daemon.startReady(Map.of(
                "DOCKER_HOST", Lab.dockerHost(),
                "STACKWARDEN_DESIRED_DIR", desired.toString(),
                "STACKWARDEN_WEBHOOKS_SECRET_FILE", secret.toString(),
                "STACKWARDEN_RESYNC_INTERVAL", "1h"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (daemon != null) {
            daemon.closeKeepingLog("ImageUpdateIT");
        }
        for (String stack : List.of(WATCHED, PLAIN, HOOKED)) {
            try {
                Lab.docker("stack", "rm", stack);
            } catch (IllegalStateException e) {
                // never deployed
            }
        }
        if (work != null) {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /** Pushes the lab image {@code source} as {@code target} and returns its digest. */
    private static String push(String source, String target) {
        String from = Lab.registry() + "/stackwarden-lab/" + source + ":1";
        Lab.docker("pull", from);
        Lab.docker("tag", from, target);
        Matcher m = DIGEST.matcher(Lab.docker("push", target));
        assertTrue(m.find(), "no digest in the push output");
        Lab.docker("rmi", target);
        return m.group(1);
    }

    private static String pinned(String service) {
        return Lab.docker("service", "inspect", "--format", "{{.Spec.TaskTemplate.ContainerSpec.Image}}", service).trim();
    }

    private static String version(String service) {
        return Lab.docker("service", "inspect", "--format", "{{.Version.Index}}", service).trim();
    }

    private static boolean pinnedTo(String service, String reference, String digest) {
        try {
            return pinned(service).equals(reference + "@" + digest);
        } catch (IllegalStateException e) {
            return false; // not created yet
        }
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) {
        Await.until(what, Duration.ofSeconds(90), condition, daemon::output);
    }

    @Test
    void aTagPushedAgainIsRolledOutForTheWatchingStackOnlyAndANotificationRollsItOutAtOnce() throws Exception {
        String first = Lab.docker("image", "inspect", "--format", "{{index .RepoDigests 0}}",
                Lab.registry() + "/stackwarden-lab/sleep:1").trim();
        for (String stack : List.of(WATCHED, PLAIN, HOOKED)) {
            await(stack + " deployed and pinned", () -> {
                try {
                    return pinned(stack + "_app").contains("@sha256:");
                } catch (IllegalStateException e) {
                    return false;
                }
            });
        }
        String before = pinned(PLAIN + "_app");
        String otherVersion = version(WATCHED + "_other");
        assertTrue(first.endsWith(before.substring(before.indexOf('@'))), first + " / " + before);

        // Polling: the watching stack follows within its interval; only its service of that image is written.
        String second = push("web", image);
        long pushed = System.nanoTime();
        await(WATCHED + " rolled out", () -> pinnedTo(WATCHED + "_app", image, second));
        long polled = System.nanoTime() - pushed;
        assertEquals(otherVersion, version(WATCHED + "_other"), "the service of another image is not written");
        daemon.await("/api/v1/stacks/" + WATCHED, r -> r.body().contains(" → " + second), Duration.ofSeconds(30));

        // The registry's notification: the stack whose interval is an hour follows at once.
        String hookBefore = pinned(HOOKED + "_app");
        String third = push("web", hookImage);
        assertEquals(hookBefore, pinned(HOOKED + "_app"), "an hour's interval: nothing looked the tag up yet");
        byte[] body = notification("itupd" + RUN + "/hook", third).getBytes(StandardCharsets.UTF_8);
        long notified = System.nanoTime();
        Daemon.Reply reply = daemon.post("/api/v1/webhooks/registry", Map.of("Authorization", "Bearer " + SECRET,
                "Content-Type", "application/vnd.docker.distribution.events.v1+json"), body);
        assertEquals(202, reply.status(), reply.body());
        await(HOOKED + " rolled out", () -> pinnedTo(HOOKED + "_app", hookImage, third));
        long hooked = System.nanoTime() - notified;
        assertEquals(401, daemon.post("/api/v1/webhooks/registry", Map.of("Authorization", "Bearer wrong"), body).status());

        // Without the opt-in nothing changes: the plain stack keeps its digest (passes of it write nothing).
        assertEquals(before, pinned(PLAIN + "_app"));
        assertEquals(200, daemon.get("/api/v1/stacks/" + PLAIN).status());
        assertEquals(before, pinned(PLAIN + "_app"));
        System.out.printf("ImageUpdateIT: push to service updated: polling (2s) %d ms, notification %d ms%n",
                polled / 1_000_000, hooked / 1_000_000);
    }

    /** A push event as distribution sends it for a manifest with a tag. */
    private static String notification(String repository, String digest) throws Exception {
        return JSON.writeValueAsString(Map.of("events", List.of(Map.of(
                "id", "it-" + RUN, "action", "push",
                "target", Map.of("mediaType", "application/vnd.docker.distribution.manifest.v2+json", "digest", digest,
                        "repository", repository, "tag", "1",
                        "url", "http://" + Lab.registry() + "/v2/" + repository + "/manifests/" + digest),
                "request", Map.of("host", Lab.registry(), "method", "PUT")))));
    }
}
