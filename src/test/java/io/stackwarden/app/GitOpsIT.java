package io.stackwarden.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackwarden.lab.Daemon;
import io.stackwarden.lab.Lab;
import io.stackwarden.desired.source.TestRemote;
import io.stackwarden.support.Await;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
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
 * One daemon and one remote serve every test; each test pushes stacks of its own, so each runs alone too.
 */
class GitOpsIT {

    private static final String SECRET = "gitops-it-webhook-secret";
    private static final String RUN = Long.toString(Math.abs(new Random().nextLong()) % 46656, 36);
    /** The one stack whose folder is removed: the only one pruned (the lab is shared with other stacks). */
    private static final String PRUNED = "gopsp" + RUN;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> STACKS = new CopyOnWriteArrayList<>();

    private static Path work;
    private static TestRemote remote;
    private static Daemon daemon;
    /** The commit pushed last. */
    private static String pushed;

    @BeforeAll
    static void startDaemonOnARemote() throws Exception {
        work = Files.createTempDirectory("stackwarden-gitops");
        remote = new TestRemote(work);
        pushed = remote.write("stackwarden.yaml", """
                        # prune only the stack whose folder a test removes: the lab is shared with other stacks Stackwarden manages
                        defaults: {resolveImage: never, prune: false}
                        stacks:
                          %s: {prune: true}
                        """.formatted(PRUNED)).push().name();
        Path secret = work.resolve("webhook-secret");
        Files.writeString(secret, SECRET);
        daemon = Daemon.startReady(Map.of(
                "DOCKER_HOST", Lab.dockerHost(),
                "LAB_REGISTRY", Lab.registry(),
                "STACKWARDEN_DESIRED_DIR", work.resolve("checkout").toString(),
                "STACKWARDEN_SOURCE_GIT_URL", remote.url(),
                "STACKWARDEN_SOURCE_POLL_INTERVAL", "1h",
                "STACKWARDEN_SOURCE_RETRY_INITIAL", "1s",
                "STACKWARDEN_SOURCE_RETRY_MAX", "2s",
                "STACKWARDEN_RESYNC_INTERVAL", "1h",
                "STACKWARDEN_WEBHOOKS_SECRET_FILE", secret.toString()));
    }

    @AfterAll
    static void stop() throws Exception {
        if (daemon != null) {
            daemon.closeKeepingLog("GitOpsIT");
        }
        for (String stack : STACKS) {
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

    /** Pushes the test's own stacks (each with {@code A=1}), delivers the push, and waits until each is applied. */
    private static String deploy(String... stacks) throws Exception {
        for (String stack : stacks) {
            STACKS.add(stack);
            remote.write(stack + "/compose.yaml", compose("A", "1"));
        }
        String commit = push();
        assertEquals(202, webhook(commit, SECRET).status());
        for (String stack : stacks) {
            awaitApplied(stack, commit);
        }
        return commit;
    }

    @Test
    void aPushedCommitAndASignedWebhookChangeOnlyTheChangedStack() throws Exception {
        String a = "gopsa" + RUN;
        String b = "gopsb" + RUN;
        String base = deploy(a, b);
        Instant deployed = Instant.parse(stackStatus(b).path("lastOperation").path("finished").asText());
        String versionB = version(b);
        String commit = commitAndPush(a, "A", "2");

        Instant sent = Instant.now();
        Daemon.Reply reply = webhook(commit, SECRET);
        assertEquals(202, reply.status(), reply.body());
        awaitTrue("A=2 reaches the service", () -> env(a).contains("A=2"));
        System.out.printf("GitOpsIT: webhook to a changed service spec in %d ms (measured by make bench)%n",
                Duration.between(sent, Instant.now()).toMillis());
        awaitApplied(a, commit);

        // B's folder did not change: the push gave it no pass and nothing of it was written. Passes for other
        // reasons (a node of the shared lab changing state) may come and must write nothing.
        for (JsonNode pass : JSON.readTree(daemon.get("/api/v1/stacks/" + b + "/operations").body())) {
            if (Instant.parse(pass.path("started").asText()).isAfter(deployed)) {
                assertFalse(pass.path("triggers").toString().contains("SOURCE_CHANGE"), "stack B had a pass for the push: " + pass);
                assertEquals(0, pass.path("writes").size(), "stack B was written: " + pass);
            }
        }
        assertEquals(versionB, version(b), "stack B's service was not written");
        assertEquals("git:" + base, stackStatus(b).path("revisionApplied").asText());
        assertTrue(service(a).contains("io.stackwarden.revision=git:" + commit), "the service carries the commit: " + service(a));
    }

    /**
     * Nothing may follow the refused webhooks. The positive signal is a signed one sent after them: once its
     * fetch applied the commit, exactly one fetch has run since the refused ones, so they fetched nothing.
     */
    @Test
    void aForgedOrUnsignedWebhookGets401AndChangesNothing() throws Exception {
        String a = "gopsf" + RUN;
        deploy(a);
        String applied = sourceRevision();
        String version = version(a);
        double fetches = metric("stackwarden_source_fetches_total{result=\"success\"}");
        String commit = commitAndPush(a, "A", "3");

        assertEquals(401, webhook(commit, "not-the-secret").status());
        assertEquals(401, daemon.post("/api/v1/webhooks/github", Map.of("X-GitHub-Event", "push",
                "Content-Type", "application/json"), payload(commit)).status());
        assertEquals(applied, sourceRevision(), "the source did not fetch");
        assertEquals(version, version(a), "the service was not written");
        assertTrue(env(a).contains("A=1"));

        assertEquals(202, webhook(commit, SECRET).status());
        awaitApplied(a, commit);
        assertEquals(fetches + 1, metric("stackwarden_source_fetches_total{result=\"success\"}"),
                "one fetch since the refused webhooks: the signed one's");
    }

    @Test
    void aForcePushIsFollowed() throws Exception {
        String a = "gopsr" + RUN;
        ObjectId base = ObjectId.fromString(deploy(a));
        String replaced = commitAndPush(a, "A", "3");
        assertEquals(202, webhook(replaced, SECRET).status());
        awaitTrue("A=3 applied", () -> env(a).contains("A=3"));

        remote.rewind(base);
        String rewritten = remote.write(a + "/compose.yaml", compose("A", "4")).push().name(); // a force-push
        pushed = rewritten;
        assertEquals(202, webhook(rewritten, SECRET).status());
        awaitTrue("A=4 applied", () -> env(a).contains("A=4"));
        awaitApplied(a, rewritten);
        assertEquals("git:" + rewritten, sourceRevision());
    }

    @Test
    void aRemovedStackFolderIsPruned() throws Exception {
        String kept = "gopsk" + RUN;
        deploy(kept, PRUNED);
        String commit = remote.delete(PRUNED).push().name();
        pushed = commit;
        assertEquals(202, webhook(commit, SECRET).status());
        awaitTrue("stack " + PRUNED + "'s service removed",
                () -> !Lab.docker("service", "ls", "--format", "{{.Name}}").contains(PRUNED + "_app"));
        daemon.await("/api/v1/stacks/" + PRUNED, r -> r.status() == 404, Duration.ofSeconds(30));
        assertTrue(env(kept).contains("A=1"), "the other stack untouched");
    }

    @Test
    void aBrokenRemoteLeavesTheSwarmAsItIsAndSaysSo() throws Exception {
        String a = "gopsx" + RUN;
        deploy(a);
        String version = version(a);
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
            assertEquals(version, version(a), "the service was not written");
            assertEquals("Synced", stackStatus(a).path("sync").asText());
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

    private static String commitAndPush(String stack, String variable, String value) throws Exception {
        remote.write(stack + "/compose.yaml", compose(variable, value));
        return push();
    }

    private static String push() throws Exception {
        pushed = remote.push().name();
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

    private static void awaitTrue(String what, Supplier<Boolean> condition) {
        Await.until(what, Duration.ofSeconds(60), condition::get, () -> "--- daemon output ---\n" + daemon.output());
    }

    /** A sample of the daemon's Prometheus metrics, by its name with labels as written. */
    private static double metric(String sample) {
        String prefix = sample + " ";
        return daemon.get("/q/metrics").body().lines().filter(line -> line.startsWith(prefix))
                .mapToDouble(line -> Double.parseDouble(line.substring(prefix.length()).trim())).findFirst()
                .orElseThrow(() -> new AssertionError("no metric " + sample));
    }
}
