package io.stackwarden.registry;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A private image on the lab's registry with htpasswd authentication ({@code lab.sh auth-registry}), deployed by
 * the packaged daemon: first without credentials for that registry (the stack's status names the registry, the
 * rest of the stack runs, no credential anywhere), then with them written to the credentials file, which the
 * daemon reads again: the image is pinned to its digest and a worker, which never had the image, pulls it.
 */
class PrivateRegistryIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RUN = Long.toString(Math.abs(new Random().nextLong()) % 46656, 36);
    private static final String STACK = "itpriv" + RUN;

    private static Map<String, String> auth;
    private static String password;
    private static String image;
    private static Path work;
    private static Path authFile;
    private static Daemon daemon;

    @BeforeAll
    static void pushAPrivateImageAndStart() throws Exception {
        // Nodes started by an older lab recipe do not trust the second registry: up restarts them.
        Lab.lab("up");
        auth = new HashMap<>();
        for (String line : Lab.lab("auth-registry").split("\n")) {
            int eq = line.indexOf('=');
            if (line.startsWith("LAB_AUTH_") && eq > 0) {
                auth.put(line.substring(0, eq), line.substring(eq + 1).trim());
            }
        }
        String registry = auth.get("LAB_AUTH_REGISTRY");
        password = Files.readString(Path.of(auth.get("LAB_AUTH_PASSWORD_FILE"))).strip();
        work = Files.createTempDirectory("stackwarden-private");
        // A repository of its own per run: no worker has pulled it before.
        image = registry + "/" + STACK + "/sleep:1";
        Path cli = work.resolve("docker-cli");
        Lab.docker("tag", Lab.registry() + "/stackwarden-lab/sleep:1", image);
        Process login = new ProcessBuilder("docker", "--config", cli.toString(), "-H", Lab.dockerHost(), "login", "-u",
                auth.get("LAB_AUTH_USER"), "--password-stdin", registry).redirectErrorStream(true).start();
        login.getOutputStream().write(password.getBytes(StandardCharsets.UTF_8));
        login.getOutputStream().close();
        String said = new String(login.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, login.waitFor(), said);
        run("docker", "--config", cli.toString(), "-H", Lab.dockerHost(), "push", image);
        Lab.docker("rmi", image);

        Path desired = work.resolve("desired");
        Files.createDirectories(desired.resolve(STACK));
        Files.writeString(desired.resolve(STACK).resolve("compose.yaml"), """
                services:
                  app:
                    image: %s
                    deploy:
                      placement: {constraints: [node.role == worker]}
                  side:
                    image: %s/stackwarden-lab/sleep:1
                """.formatted(image, Lab.registry()));
        // Credentials for another registry only, at first.
        authFile = work.resolve("config.json");
        Files.writeString(authFile, config("other.example.test:5000", "someone", "other-password"));
        daemon = Daemon.startReady(Map.of(
                "DOCKER_HOST", Lab.dockerHost(),
                "STACKWARDEN_DESIRED_DIR", desired.toString(),
                "STACKWARDEN_REGISTRY_AUTH_FILE", authFile.toString(),
                "STACKWARDEN_RECONCILE_RETRY_INITIAL", "1s",
                "STACKWARDEN_RECONCILE_RETRY_MAX", "2s",
                "STACKWARDEN_RESYNC_INTERVAL", "1h"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (daemon != null) {
            daemon.closeKeepingLog("PrivateRegistryIT");
        }
        try {
            Lab.docker("stack", "rm", STACK);
        } catch (IllegalStateException e) {
            // never deployed
        }
        if (work != null) {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /** A config.json as docker login writes it, with the key in the URL form older clients wrote. */
    private static String config(String registry, String user, String secret) {
        String basic = Base64.getEncoder().encodeToString((user + ":" + secret).getBytes(StandardCharsets.UTF_8));
        return "{\"auths\": {\"http://" + registry + "/v2/\": {\"auth\": \"" + basic + "\"}}}";
    }

    @Test
    void withoutCredentialsTheStatusNamesTheRegistryAndWithThemAWorkerPullsThePinnedImage() throws Exception {
        String registry = auth.get("LAB_AUTH_REGISTRY");
        Daemon.Reply refused = daemon.await("/api/v1/stacks/" + STACK,
                r -> r.body().contains("registry " + registry + " requires credentials"), Duration.ofSeconds(90));
        JsonNode status = JSON.readTree(refused.body());
        assertTrue(status.path("message").asText().contains("service " + STACK + "_app not written: image " + image),
                status.toString());
        // The rest of the stack runs.
        Await.until("service side runs", Duration.ofSeconds(60), () -> runningNodes(STACK + "_side").size() == 1,
                daemon::output);
        assertTrue(Lab.docker("service", "ls", "-q", "--filter", "name=" + STACK + "_app").isBlank());

        Files.writeString(authFile, config(registry, auth.get("LAB_AUTH_USER"), password));
        Await.until("app runs on a worker", Duration.ofSeconds(120),
                () -> runningNodes(STACK + "_app").stream().anyMatch(node -> node.contains("-w")), daemon::output);
        String pinned = Lab.docker("service", "inspect", "--format", "{{.Spec.TaskTemplate.ContainerSpec.Image}}",
                STACK + "_app").trim();
        assertTrue(pinned.startsWith(image + "@sha256:"), pinned);
        daemon.await("/api/v1/stacks/" + STACK, r -> r.body().contains("\"sync\":\"Synced\""), Duration.ofSeconds(60));

        String everything = daemon.get("/api/v1/stacks/" + STACK).body() + daemon.get("/api/v1/stacks").body()
                + daemon.get("/q/metrics").body() + daemon.output()
                + Lab.docker("service", "inspect", STACK + "_app");
        assertFalse(everything.contains(password), "the password shows somewhere");
        assertFalse(everything.contains(Base64.getEncoder().encodeToString(
                (auth.get("LAB_AUTH_USER") + ":" + password).getBytes(StandardCharsets.UTF_8))), "the basic auth shows somewhere");
    }

    /** The nodes (host names) where the service has a running task. */
    private static List<String> runningNodes(String service) {
        List<String> nodes = new ArrayList<>();
        String out;
        try {
            out = Lab.docker("service", "ps", "--filter", "desired-state=running", "--format", "{{.Node}} {{.CurrentState}}", service);
        } catch (IllegalStateException e) {
            return nodes; // not created yet
        }
        out.lines().filter(line -> line.contains(" Running")).forEach(line -> nodes.add(line.split(" ")[0]));
        return nodes;
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), String.join(" ", command) + ":\n" + out);
    }
}
