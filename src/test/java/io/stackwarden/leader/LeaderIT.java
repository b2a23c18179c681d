package io.stackwarden.leader;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackwarden.lab.Daemon;
import io.stackwarden.lab.Lab;
import io.stackwarden.support.Await;
import io.stackwarden.swarm.EngineApi;
import io.stackwarden.swarm.HttpSwarmEngine;
import io.stackwarden.swarm.LabelRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two packaged daemons on the lab's real swarm, running for one lease: one acts, the other serves the leader's
 * status read-only and hands mutating calls and webhooks to it; the swarm's version check lets exactly one of two
 * writers of a version win; when the leader is killed the standby takes over after the lease, with the saved state,
 * and goes on; a leader that stops hands over at once. Short lease timings keep it quick.
 */
class LeaderIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "leader-it-token";
    private static final String SECRET = "leader-it-secret";
    private static final Duration WAIT = Duration.ofSeconds(90);

    private final String run = Long.toString(Math.abs(new Random().nextLong()) % 1_000_000, 36);
    private final String lease = "itl" + run;
    private final String stack = "ldr" + run;
    private final List<Daemon> daemons = new ArrayList<>();
    private Path work;
    private EngineApi api;

    @BeforeEach
    void setUp() throws Exception {
        work = Files.createTempDirectory("stackwarden-leader");
        Files.createDirectories(work.resolve("desired"));
        Files.writeString(work.resolve("token"), TOKEN);
        Files.writeString(work.resolve("secret"), SECRET);
        Files.writeString(work.resolve("desired").resolve("stackwarden.yaml"), "defaults: {resolveImage: never}\n");
        api = new EngineApi(Lab.dockerHost(), Duration.ofSeconds(10), JSON);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = 0; i < daemons.size(); i++) {
            daemons.get(i).closeKeepingLog("LeaderIT-" + i);
        }
        for (String[] command : List.of(new String[] {"stack", "rm", stack},
                new String[] {"config", "rm", lease + ".lease", lease + ".state"})) {
            try {
                Lab.docker(command);
            } catch (IllegalStateException e) {
                // not there
            }
        }
        api.close();
        try (Stream<Path> files = Files.walk(work)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    private Daemon start() throws Exception {
        Daemon daemon = Daemon.startReady(Map.ofEntries(
                Map.entry("DOCKER_HOST", Lab.dockerHost()),
                Map.entry("LAB_REGISTRY", Lab.registry()),
                Map.entry("STACKWARDEN_DESIRED_DIR", work.resolve("desired").toString()),
                Map.entry("STACKWARDEN_SOURCE_SCAN_INTERVAL", "1s"),
                Map.entry("STACKWARDEN_RESYNC_INTERVAL", "1h"),
                Map.entry("STACKWARDEN_API_TOKEN_FILE", work.resolve("token").toString()),
                Map.entry("STACKWARDEN_WEBHOOKS_SECRET_FILE", work.resolve("secret").toString()),
                Map.entry("STACKWARDEN_LEADER_NAME", lease),
                Map.entry("STACKWARDEN_LEADER_LEASE_DURATION", "6s"),
                Map.entry("STACKWARDEN_LEADER_RENEW_DEADLINE", "4s"),
                Map.entry("STACKWARDEN_LEADER_RETRY_PERIOD", "1s")));
        daemons.add(daemon);
        return daemon;
    }

    private void write(String env) throws Exception {
        Path folder = Files.createDirectories(work.resolve("desired").resolve(stack));
        Files.writeString(folder.resolve("compose.yaml"), "services:\n  app:\n    image: ${LAB_REGISTRY}/stackwarden-lab/sleep:1\n"
                + "    environment: {CHANGE: \"" + env + "\"}\n");
    }

    private static JsonNode health(Daemon daemon) throws Exception {
        JsonNode ready = JSON.readTree(daemon.get("/q/health/ready").body());
        for (JsonNode check : ready.path("checks")) {
            if (check.path("name").asText().equals("leader-election")) {
                return check.path("data");
            }
        }
        return JSON.createObjectNode();
    }

    private static boolean acting(Daemon daemon) {
        try {
            return health(daemon).path("acting").asBoolean(false);
        } catch (Exception e) {
            return false;
        }
    }

    private static Map<String, String> token() {
        return Map.of("Authorization", "Bearer " + TOKEN);
    }

    /** The stack's status as the daemon answers it; empty while it does not. */
    private JsonNode status(Daemon daemon) {
        Daemon.Reply reply = daemon.get("/api/v1/stacks/" + stack, token());
        try {
            return reply.status() == 200 ? JSON.readTree(reply.body()) : JSON.createObjectNode();
        } catch (java.io.IOException e) {
            return JSON.createObjectNode();
        }
    }

    private double metric(Daemon daemon, String name) {
        for (String line : daemon.get("/q/metrics").body().split("\n")) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(name.length() + 1).trim());
            }
        }
        return 0;
    }

    private String service(String template) {
        return Lab.docker("service", "inspect", "--format", template, stack + "_app").trim();
    }

    @Test
    void ofTwoWritersOfOneVersionOnTheRealSwarmExactlyOneWins() {
        LabelRecord record = new LabelRecord(new HttpSwarmEngine(api), lease + ".lease");
        LabelRecord.Snapshot first = record.write(Optional.empty(), Map.of("io.stackwarden.lease.holder", "a")).orElseThrow();
        assertTrue(record.write(Optional.empty(), Map.of("io.stackwarden.lease.holder", "b")).isEmpty(),
                "a second create of the record loses");
        assertTrue(record.write(Optional.of(first), Map.of("io.stackwarden.lease.holder", "c")).isPresent());
        assertTrue(record.write(Optional.of(first), Map.of("io.stackwarden.lease.holder", "d")).isEmpty(),
                "the swarm refuses the second write of the same version (update out of sequence)");
        assertEquals("c", record.read().orElseThrow().labels().get("io.stackwarden.lease.holder"));
    }

    @Test
    void oneActsTheStandbyMirrorsItAndHandsWritesToItAndTakesOverWhenItDies() throws Exception {
        write("1");
        Daemon first = start();
        Await.until("the first daemon acts", WAIT, () -> acting(first), first::output);
        Daemon second = start();
        JsonNode standby = health(second);
        assertEquals("standby", standby.path("role").asText(), standby.toString());
        assertEquals(health(first).path("identity").asText(), standby.path("leader").asText());
        Await.until("the stack applied by the leader", WAIT, () -> status(first).path("sync").asText().equals("Synced"), first::output);

        // Read-only status on the standby is the leader's, and the standby says what it is.
        Await.until("the standby shows the leader's status", WAIT, () -> status(second).path("sync").asText().equals("Synced"),
                second::output);
        Daemon.Reply list = second.get("/api/v1/stacks", token());
        assertEquals("standby", list.header("X-Stackwarden-Role"), list.headers().toString());
        assertEquals(health(first).path("identity").asText(), list.header("X-Stackwarden-Leader"));
        assertEquals("leader", first.get("/api/v1/stacks", token()).header("X-Stackwarden-Role"));

        // A suspend, a sync and a signed webhook reaching the standby are handled by the leader.
        Daemon.Reply suspended = second.post("/api/v1/stacks/" + stack + "/suspend", token(), new byte[0]);
        assertEquals(200, suspended.status(), suspended.body());
        assertEquals("Suspended", status(first).path("health").asText());
        Daemon.Reply resumed = second.post("/api/v1/stacks/" + stack + "/resume", token(), new byte[0]);
        assertEquals(200, resumed.status(), resumed.body());
        Daemon.Reply synced = second.post("/api/v1/stacks/" + stack + "/sync", token(), new byte[0]);
        assertEquals(202, synced.status(), synced.body());
        byte[] push = "{\"ref\":\"refs/heads/main\",\"after\":\"0123456789abcdef0123456789abcdef01234567\"}"
                .getBytes(StandardCharsets.UTF_8);
        Daemon.Reply hook = second.post("/api/v1/webhooks/generic", Map.of("Content-Type", "application/json",
                "X-Stackwarden-Signature", sign(push)), push);
        assertEquals(202, hook.status(), hook.body());
        assertTrue(first.output().contains("webhook accepted: generic push 0123456"), "the leader took the webhook");
        assertEquals(0, metric(second, "stackwarden_swarm_writes_total"), "a standby never writes to the swarm");
        assertTrue(metric(first, "stackwarden_swarm_writes_total") > 0);

        // The leader dies without a word: the standby takes over after the lease, with the saved state, and goes on.
        String revision = status(first).path("revisionApplied").asText();
        first.kill();
        Await.until("the standby takes over", WAIT, () -> acting(second), second::output);
        assertEquals(revision, status(second).path("revisionApplied").asText(), "the status survived the take-over");
        write("2");
        Await.until("the next change applied by the new leader", WAIT,
                () -> service("{{json .Spec.TaskTemplate.ContainerSpec.Env}}").contains("CHANGE=2"), second::output);
        assertEquals(2, health(second).path("transitions").asInt(), health(second).toString());

        // A third replica stands by; the leader that stops hands over at once, without waiting for the lease.
        Daemon third = start();
        assertEquals("standby", health(third).path("role").asText());
        second.close();
        Await.until("the third takes over after the release", Duration.ofSeconds(30), () -> acting(third), third::output);
        assertTrue(second.output().contains("released the lease"), second.output());
    }

    @Test
    void aSavedStatusOfAStackThatExistsNowhereIsDroppedOnTakeOver() throws Exception {
        write("1");
        String ghost = "ghost" + run; // saved by an earlier leader; its folder and its objects are gone since
        new LabelRecord(new HttpSwarmEngine(api), lease + ".state").write(Optional.empty(), Map.of(
                "io.stackwarden.stack." + ghost, "{\"sync\":\"Synced\",\"health\":\"Healthy\",\"message\":\"in sync\"}"));
        Daemon daemon = start();
        Await.until("the daemon acts", WAIT, () -> acting(daemon), daemon::output);
        Await.until("the stack applied", WAIT, () -> status(daemon).path("sync").asText().equals("Synced"), daemon::output);
        Await.until("the ghost is no longer shown", WAIT,
                () -> !daemon.get("/api/v1/stacks", token()).body().contains(ghost), daemon::output);
        assertEquals(404, daemon.get("/api/v1/stacks/" + ghost, token()).status());
        Daemon.Reply all = daemon.post("/api/v1/sync?wait=true", token(), new byte[0]);
        assertEquals(200, all.status(), all.body());
        Await.until("the saved state forgot it", WAIT, () -> !Lab.docker("config", "inspect", lease + ".state").contains(ghost),
                daemon::output);
    }

    private static String sign(byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    }
}
