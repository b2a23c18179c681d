package io.stackwarden.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackwarden.lab.Daemon;
import io.stackwarden.lab.Lab;
import io.stackwarden.desired.source.TestRemote;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GitOps end to end: the packaged daemon follows a real Git remote (a bare repository over
 * {@code file://}); a commit pushed and a signed GitHub webhook change the lab swarm; a forged
 * webhook changes nothing; a force-push and a removed stack folder are followed; a broken remote
 * leaves the swarm as it is and says so. The poll interval is an hour, so only webhooks fetch.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GitOpsIT {

    private static final String SECRET = "gitops-it-webhook-secret";
    private static final String RUN = Long.toString(Math.abs(new Random().nextLong()) % 46656, 36);
    /** Stack {@code A} is changed by pushes; {@code B} only watches (and is removed at the end). */
    private static final String A = "gopsa" + RUN;
    private static final String B = "gopsb" + RUN;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path work;
    private static TestRemote remote;
    private static Daemon daemon;
    private static ObjectId firstCommit;
    /** The commit pushed last. */
    private static String pushed;

    @BeforeAll
    static void startDaemonOnARemote() throws Exception {
        work = Files.createTempDirectory("stackwarden-gitops");
        remote = new TestRemote(work);
        remote.write("stackwarden.yaml", """
                        # prune only this test's stack B: the lab is shared with other stacks Stackwarden manages
                        defaults: {resolveImage: never, prune: false}
                        stacks:
                          %s: {prune: true}
                        """.formatted(B))
                .write(A + "/compose.yaml", compose("A", "1"))
                .write(B + "/compose.yaml", compose("B", "1"));
        firstCommit = remote.push();
        Path secret = work.resolve("webhook-secret");
        Files.writeString(secret, SECRET);
        daemon = Daemon.start(Map.of(
                "DOCKER_HOST", Lab.dockerHost(),
                "LAB_REGISTRY", Lab.registry(),
                "STACKWARDEN_DESIRED_DIR", work.resolve("checkout").toString(),
                "STACKWARDEN_SOURCE_GIT_URL", remote.url(),
                "STACKWARDEN_SOURCE_POLL_INTERVAL", "1h",
                "STACKWARDEN_SOURCE_RETRY_INITIAL", "1s",
                "STACKWARDEN_SOURCE_RETRY_MAX", "2s",
                "STACKWARDEN_RESYNC_INTERVAL", "1h",
                "STACKWARDEN_WEBHOOKS_SECRET_FILE", secret.toString()));
        daemon.await("/q/health/ready", r -> r.status() == 200, Duration.ofSeconds(90));
        awaitApplied(A, firstCommit.name());
        awaitApplied(B, firstCommit.name());
    }

    @AfterAll
    static void stop() throws Exception {
        if (daemon != null) {
            daemon.close();
            Files.writeString(Path.of("target", "GitOpsIT-daemon.log"), daemon.output());
        }
        for (String stack : new String[]{A, B}) {
            try {
                Lab.docker("stack", "rm", stack);
            } catch (IllegalStateException e) {
                // already gone
            }
        }
        if (remote != null) {
            remote.close();
        }
        if (work != null) {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    @Test
    @Order(1)
    void aPushedCommitAndASignedWebhookChangeOnlyTheChangedStack() throws Exception {
        JsonNode before = stackStatus(B);
        String commit = commitAndPush("A", "2");

        Instant sent = Instant.now();
        Daemon.Reply reply = webhook(commit, SECRET);
        assertEquals(202, reply.status(), reply.body());
        awaitTrue("A=2 reaches the service", () -> env(A).contains("A=2"));
        System.out.printf("GitOpsIT: webhook to a changed service spec in %d ms (measured by make bench)%n",
                Duration.between(sent, Instant.now()).toMillis());
        awaitApplied(A, commit);

        JsonNode after = stackStatus(B);
        assertEquals(before.path("lastOperation"), after.path("lastOperation"), "stack B had no pass");
        assertEquals("git:" + firstCommit.name(), after.path("revisionApplied").asText());
        assertTrue(service(A).contains("io.stackwarden.revision=git:" + commit), "the service carries the commit: " + service(A));
    }

    @Test
    @Order(2)
    void aForgedOrUnsignedWebhookGets401AndChangesNothing() throws Exception {
        String applied = sourceRevision();
        String version = version(A);
        String commit = commitAndPush("A", "3");

        assertEquals(401, webhook(commit, "not-the-secret").status());
        assertEquals(401, daemon.post("/api/v1/webhooks/github", Map.of("X-GitHub-Event", "push",
                "Content-Type", "application/json"), payload(commit)).status());

        Thread.sleep(3000); // nothing may happen: give a wrong refresh the time to show
        assertEquals(applied, sourceRevision(), "the source did not fetch");
        assertEquals(version, version(A), "the service was not written");
        assertTrue(env(A).contains("A=2"));
    }

    @Test
    @Order(3)
    void aForcePushIsFollowed() throws Exception {
        String pending = pushed; // A=3, pushed in the previous test: now fetched and applied
        assertEquals(202, webhook(pending, SECRET).status());
        awaitTrue("A=3 applied", () -> env(A).contains("A=3"));

        remote.rewind(firstCommit);
        String rewritten = remote.write(A + "/compose.yaml", compose("A", "4")).push().name(); // a force-push
        pushed = rewritten;
        assertEquals(202, webhook(rewritten, SECRET).status());
        awaitTrue("A=4 applied", () -> env(A).contains("A=4"));
        awaitApplied(A, rewritten);
        assertEquals("git:" + rewritten, sourceRevision());
    }

    @Test
    @Order(4)
    void aRemovedStackFolderIsPruned() throws Exception {
        String commit = remote.delete(B).push().name();
        pushed = commit;
        assertEquals(202, webhook(commit, SECRET).status());
        awaitTrue("stack B's service removed", () -> !Lab.docker("service", "ls", "--format", "{{.Name}}").contains(B + "_app"));
        daemon.await("/api/v1/stacks/" + B, r -> r.status() == 404, Duration.ofSeconds(30));
        assertTrue(env(A).contains("A=4"), "stack A untouched");
    }

    @Test
    @Order(5)
    void aBrokenRemoteLeavesTheSwarmAsItIsAndSaysSo() throws Exception {
        String version = version(A);
        String applied = sourceRevision();
        remote.breakRemote();
        try {
            assertEquals(202, webhook(pushed, SECRET).status());
            JsonNode source = JSON.readTree(daemon.await("/api/v1/source",
                    r -> r.body().contains("\"stale\":true"), Duration.ofSeconds(30)).body());
            assertFalse(source.path("error").asText().isBlank(), "the error is reported: " + source);
            assertEquals(applied, source.path("revision").asText(), "the last good revision is kept");
            Daemon.Reply ready = daemon.get("/q/health/ready");
            assertEquals(503, ready.status(), ready.body());
            assertTrue(ready.body().contains("desired-source"), ready.body());
            assertEquals(version, version(A), "the service was not written");
            assertEquals("Synced", stackStatus(A).path("sync").asText());
        } finally {
            remote.repairRemote();
        }
        assertEquals(202, webhook(pushed, SECRET).status());
        daemon.await("/api/v1/source", r -> r.body().contains("\"stale\":false"), Duration.ofSeconds(30));
        daemon.await("/q/health/ready", r -> r.status() == 200, Duration.ofSeconds(30));
    }

    private static String compose(String variable, String value) {
        return """
                services:
                  app:
                    image: %s/stackwarden-lab/sleep:1
                    environment: {%s: "%s"}
                    stop_grace_period: 1s
                    deploy: {replicas: 1, update_config: {order: start-first}}
                """.formatted(Lab.registry(), variable, value);
    }

    private static String commitAndPush(String variable, String value) throws Exception {
        pushed = remote.write(A + "/compose.yaml", compose(variable, value)).push().name();
        return pushed;
    }

    private static byte[] payload(String commit) {
        return ("{\"ref\":\"refs/heads/main\",\"after\":\"" + commit + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    /** A GitHub push delivery signed with {@code secret}. */
    private static Daemon.Reply webhook(String commit, String secret) throws Exception {
        byte[] body = payload(commit);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String signature = "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        return daemon.post("/api/v1/webhooks/github", Map.of("X-GitHub-Event", "push", "X-Hub-Signature-256", signature,
                "Content-Type", "application/json"), body);
    }

    private static void awaitApplied(String stack, String commit) throws InterruptedException {
        daemon.await("/api/v1/stacks/" + stack, r -> r.body().contains("\"revisionApplied\":\"git:" + commit + "\""),
                Duration.ofSeconds(90));
    }

    private static JsonNode stackStatus(String stack) throws Exception {
        Daemon.Reply reply = daemon.get("/api/v1/stacks/" + stack);
        assertEquals(200, reply.status(), reply.body());
        return JSON.readTree(reply.body());
    }

    private static String sourceRevision() throws Exception {
        return JSON.readTree(daemon.get("/api/v1/source").body()).path("revision").asText();
    }

    private static String env(String stack) {
        return Lab.docker("service", "inspect", "--format", "{{.Spec.TaskTemplate.ContainerSpec.Env}}", stack + "_app");
    }

    private static String version(String stack) {
        return Lab.docker("service", "inspect", "--format", "{{.Version.Index}}", stack + "_app").trim();
    }

    private static String service(String stack) {
        return Lab.docker("service", "inspect", "--format", "{{range $k, $v := .Spec.Labels}}{{$k}}={{$v}} {{end}}", stack + "_app");
    }

    private static void awaitTrue(String what, Supplier<Boolean> condition) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < end) {
            if (condition.get()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(what + " did not happen within 60 s\n--- daemon output ---\n" + daemon.output());
    }
}
