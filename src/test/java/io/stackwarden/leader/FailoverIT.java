package io.stackwarden.leader;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackwarden.desired.source.TestRemote;
import io.stackwarden.lab.Daemon;
import io.stackwarden.lab.HaLab;
import io.stackwarden.lab.Lab;
import io.stackwarden.support.Await;
import io.stackwarden.swarm.EngineApi;
import io.stackwarden.swarm.EngineException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stackwarden installed as production installs it ({@code scripts/deploy.sh}, what {@code make deploy} runs: the image,
 * the secrets, {@code docker stack deploy} of k8s-free-deploy/stackwarden.yml) on a lab with three managers, following
 * a Git remote this test pushes to. The faults of the issue: the engine of the leader's manager stopped (the standby
 * takes over and applies the next commit, and the replicas' logs show no two of them ever acting or writing at once),
 * and the leader SIGKILLed in the middle of a large stack (it converges with nothing orphaned or twice, and the pass
 * after writes nothing); and a daemon whose manager engine stops in the middle of a pass while events pile up
 * elsewhere. All on a second lab of three managers ({@code scripts/lab/ha-lab.sh}) brought up for this class and
 * purged after: the default lab keeps its shape and its other tests see nothing of it.
 */
class FailoverIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RUN = Long.toString(Math.abs(new Random().nextLong()) % 46656, 36);
    private static final String SERVICE = "stackwarden_operator";
    private static final List<String> MANAGERS = List.of("m1", "m2", "m3");
    private static final Duration WAIT = Duration.ofMinutes(3);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    /** The variables of the second lab ({@code scripts/lab/ha-lab.sh}): three managers of its own. */
    private static final Map<String, String> HA = new java.util.HashMap<>();
    private static Path work;
    private static TestRemote remote;
    private static String token;
    private static List<String> urls;
    private static final List<String> STOPPED = new ArrayList<>();
    private static final Map<String, EngineApi> ENGINES = new java.util.concurrent.ConcurrentHashMap<>();

    @BeforeAll
    static void deploy() throws Exception {
        HA.putAll(HaLab.up());
        work = Files.createTempDirectory("stackwarden-failover");
        // The replicas run as uid 10001 and read the bare repository through a bind mount.
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        remote = new TestRemote(work);
        remote.write("stackwarden.yaml", "# two Stackwardens share this lab: neither prunes the other's stacks\n"
                + "defaults: {prune: false}\n").push();
        Map<String, String> deploy = new java.util.HashMap<>(HA);
        deploy.putAll(Map.of("STACKWARDEN_IMAGE", Lab.stackwardenImage(HA),
                "STACKWARDEN_GIT_REMOTE", remote.bare.toString(), "STACKWARDEN_POLL_INTERVAL", "2s"));
        String out = Lab.script("deploy.sh", deploy, "deploy");
        token = Files.readString(Path.of(value(out, "STACKWARDEN_API_TOKEN_FILE"))).trim();
        urls = List.of(value(out, "STACKWARDEN_URLS").split(","));
    }

    /** A manager a failed test left stopped is started again, so the next test finds the lab whole. */
    @AfterEach
    void startStoppedManagers() {
        for (String node : List.copyOf(STOPPED)) {
            lab("node-start", node);
            STOPPED.remove(node);
        }
    }

    /** The second lab is purged: the deployment, its stacks and every node's data go with it. */
    @AfterAll
    static void undeploy() throws Exception {
        ENGINES.values().forEach(EngineApi::close);
        try {
            if (!HA.isEmpty()) {
                HaLab.down();
            }
        } finally {
            if (remote != null) {
                remote.close();
            }
            if (work != null) {
                try (Stream<Path> files = Files.walk(work)) {
                    files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                }
            }
        }
    }

    @Test
    void aCommitIsAppliedAcrossTheLossOfTheLeadersManagerAndNoTwoReplicasEverAct() throws Exception {
        String stack = "fo" + RUN;
        remote.write(stack + "/compose.yaml", compose("1")).push();
        Await.until("the deployed Stackwarden applies the first commit", WAIT, () -> env(stack, "app").contains("V=1"));

        Leader before = actingLeader();
        Instant stopped = Instant.now();
        STOPPED.add(before.node());
        lab("node-stop", before.node());
        remote.write(stack + "/compose.yaml", compose("2")).push();
        Await.until("the next commit applied after the failover", WAIT, () -> env(stack, "app").contains("V=2"));
        Instant applied = Instant.now();
        Leader after = actingLeader();
        System.out.printf("failover: leader %s on %s stopped, %s on %s applied the next commit %d ms later%n",
                before.identity(), before.node(), after.identity(), after.node(), Duration.between(stopped, applied).toMillis());
        assertTrue(!after.identity().equals(before.identity()), "another replica leads: " + after);

        lab("node-start", before.node());
        STOPPED.remove(before.node());
        List<ReplicaLogs.Replica> replicas = ReplicaLogs.read(SERVICE, MANAGERS, HA);
        assertTrue(replicas.stream().filter(r -> !r.acting().isEmpty()).count() >= 2, "both leaders' logs were read: " + replicas);
        assertEquals(List.of(), ReplicaLogs.problems(replicas));
    }

    @Test
    void aLeaderKilledInTheMiddleOfALargeStackLeavesItConvergedWithNothingOrphanedAndThePassAfterWritesNothing() throws Exception {
        String stack = "big" + RUN;
        int services = 60;
        StringBuilder compose = new StringBuilder("services:\n");
        StringBuilder configs = new StringBuilder("configs:\n");
        for (int i = 0; i < services; i++) {
            compose.append("  s").append(i).append(":\n    image: ${LAB_REGISTRY}/stackwarden-lab/sleep:1\n")
                    .append("    deploy: {replicas: 0}\n    configs: [c").append(i).append("]\n");
            configs.append("  c").append(i).append(": {file: ./c").append(i).append(".txt}\n");
            remote.write(stack + "/c" + i + ".txt", "config " + i + "\n");
        }
        Leader leader = actingLeader(); // the previous test's node restart may still move the lease
        String container = engine(leader.node()).get("/containers/json?filters=" + filter("label",
                "com.docker.swarm.service.name=" + SERVICE)).path(0).path("Id").asText();
        remote.write(stack + "/compose.yaml", compose.append(configs).toString()).push();
        // Straight through the Engine API, every 10 ms: the pass writes its objects within a second or two.
        Await.everyUntil(Duration.ofMillis(10), "the leader writes the stack", WAIT, () -> services(stack).size() > 0);
        engine(leader.node()).post("/containers/" + container + "/kill?signal=KILL", null);
        int atKill = services(stack).size();
        System.out.printf("killed the leader %s with %d of %d services written%n", leader.identity(), atKill, services);
        assertTrue(atKill < services, "killed in the middle: " + atKill + " of " + services + " services were there");

        Await.until("the stack converged after the kill", WAIT, () -> count("service", stack) == services
                && status(stack).path("sync").asText().equals("Synced"));
        assertEquals(services, count("config", stack), "one config per key: none twice, none left over");
        assertEquals(1, count("network", stack));
        JsonNode pass = sync(stack);
        assertEquals("succeeded", pass.path("result").asText(), pass.toString());
        assertEquals(0, pass.path("status").path("lastOperation").path("writes").size(), "the pass after writes nothing: " + pass);
        assertEquals(List.of(), ReplicaLogs.problems(ReplicaLogs.read(SERVICE, MANAGERS, HA)));
    }

    /**
     * A daemon that follows the engine of one manager (m3): that engine is stopped in the middle of a pass over a large
     * stack, and while it is down the stack is changed by hand through another manager, with more swarm events than an
     * engine keeps for a late reader (256; a restarted engine keeps none of them anyway). Once the engine is back the
     * daemon misses nothing: the pass is completed, every change by hand undone, and the pass after writes nothing.
     */
    @Test
    void aPassCutByItsEnginesStopAndTheEventsMissedMeanwhileAreMadeGoodOnceItIsBack() throws Exception {
        String stack = "eo" + RUN;
        // Enough services that the pass is still writing when the engine has stopped: a manager's engine may take a
        // few seconds to stop (it hands raft leadership on first), and 40 were once all written by then.
        int services = 120;
        Path desired = Files.createDirectories(work.resolve("outage"));
        Files.writeString(desired.resolve("stackwarden.yaml"), "defaults: {prune: false, resolveImage: never}\n");
        Files.createDirectories(desired.resolve(stack));
        Files.writeString(desired.resolve(stack).resolve("compose.yaml"), outageStack(services, "1"));
        Path tokenFile = Files.writeString(work.resolve("outage-token"), OUTAGE_TOKEN);
        try (Daemon daemon = Daemon.startReady(Map.of(
                "DOCKER_HOST", HA.get("DOCKER_HOST").replace("/m1/", "/m3/"),
                "LAB_REGISTRY", HA.get("LAB_REGISTRY"),
                "STACKWARDEN_DESIRED_DIR", desired.toString(),
                "STACKWARDEN_SOURCE_SCAN_INTERVAL", "1s",
                "STACKWARDEN_RESYNC_INTERVAL", "1h",
                "STACKWARDEN_ENGINE_PROBE_INTERVAL", "1s",
                "STACKWARDEN_ENGINE_RETRY_MAX", "2s",
                "STACKWARDEN_RECONCILE_RETRY_MAX", "5s",
                "STACKWARDEN_API_TOKEN_FILE", tokenFile.toString()))) {
            Await.until("the stack deployed", WAIT, () -> env(stack, "s0").contains("V=1") && count("service", stack) == services,
                    daemon::output);
            Files.writeString(desired.resolve(stack).resolve("compose.yaml"), outageStack(services, "2"));
            Await.everyUntil(Duration.ofMillis(10), "the pass started", WAIT, () -> updated(stack) > 0);
            STOPPED.add("m3");
            lab("node-stop", "m3");
            int atStop = updated(stack);
            System.out.printf("engine of m3 stopped with %d of %d services updated%n", atStop, services);
            assertTrue(atStop < services, "stopped in the middle of the pass: " + atStop + " of " + services);

            docker("service", "scale", "-d", stack + "_s0=3");
            docker("service", "rm", stack + "_s1");
            docker("service", "update", "-d", "--label-add", "by-hand=1", stack + "_s2");
            try (EngineApi m1 = new EngineApi(HA.get("DOCKER_HOST"), Duration.ofSeconds(10), JSON)) {
                for (int i = 0; i < 130; i++) { // 260 events more: beyond any engine's buffer of events
                    String id = m1.post("/configs/create", Map.of("Name", "eo" + RUN + "-burst-" + i, "Data", "eA==")).path("ID").asText();
                    m1.delete("/configs/" + id);
                }
            }
            lab("node-start", "m3");
            STOPPED.remove("m3");

            Await.until("every change made good", WAIT, () -> updated(stack) == services
                    && docker("service", "inspect", "--format", "{{.Spec.Mode.Replicated.Replicas}}", stack + "_s0").trim().equals("1")
                    && !docker("service", "inspect", "--format", "{{json .Spec.Labels}}", stack + "_s2").contains("by-hand"),
                    daemon::output);
            Await.until("synced", WAIT, () -> stackStatus(daemon, stack).path("sync").asText().equals("Synced"), daemon::output);
            Daemon.Reply pass = daemon.post("/api/v1/stacks/" + stack + "/sync", Map.of("Authorization", "Bearer " + OUTAGE_TOKEN),
                    new byte[0]);
            assertEquals(202, pass.status(), pass.toString());
            Await.until("the pass after ends", WAIT, () -> stackStatus(daemon, stack).path("lastOperation").path("triggers")
                    .toString().contains("MANUAL"), daemon::output);
            JsonNode after = stackStatus(daemon, stack);
            assertEquals(0, after.path("lastOperation").path("writes").size(), "the pass after writes nothing: " + after);
        }
    }

    // --- helpers ---

    private static final String OUTAGE_TOKEN = "failover-it-outage";

    private static JsonNode stackStatus(Daemon daemon, String stack) {
        try {
            return JSON.readTree(daemon.get("/api/v1/stacks/" + stack, Map.of("Authorization", "Bearer " + OUTAGE_TOKEN)).body());
        } catch (java.io.IOException e) {
            return JSON.createObjectNode();
        }
    }

    /** {@code services} services, the first with a replica (scaled by hand), all with {@code V=value}. */
    private static String outageStack(int services, String value) {
        StringBuilder compose = new StringBuilder("services:\n");
        for (int i = 0; i < services; i++) {
            compose.append("  s").append(i).append(":\n    image: ${LAB_REGISTRY}/stackwarden-lab/sleep:1\n")
                    .append("    deploy: {replicas: ").append(i == 0 ? 1 : 0).append("}\n")
                    .append("    environment: {V: \"").append(value).append("\"}\n");
        }
        return compose.toString();
    }

    /** How many of the stack's services have {@code V=2}, read from m1 (the daemon under test follows m3). */
    private static int updated(String stack) {
        int updated = 0;
        for (JsonNode service : services(stack)) {
            if (service.at("/Spec/TaskTemplate/ContainerSpec/Env").toString().contains("V=2")) {
                updated++;
            }
        }
        return updated;
    }

    /** The stack's services as a manager that answers lists them, through the Engine API (no CLI start-up per read). */
    /**
     * The stack's services as the first manager that answers shows them. A manager whose raft is still electing
     * after another one's engine stopped may not answer for seconds: the next one is asked, and when none answers
     * the answer is no service at all, so a wait sees nothing yet and asks again (and a check of what was
     * written fails rather than passes).
     */
    private static JsonNode services(String stack) {
        for (String node : MANAGERS) {
            if (!STOPPED.contains(node)) {
                try {
                    return engine(node).get("/services?filters=" + filter("label", "com.docker.stack.namespace=" + stack));
                } catch (EngineException e) {
                    System.out.printf("manager %s did not answer: %s%n", node, e.getMessage());
                }
            }
        }
        return JSON.createArrayNode();
    }

    /** The Engine API of one node of the second lab, made once. */
    private static EngineApi engine(String node) {
        return ENGINES.computeIfAbsent(node, n -> new EngineApi("unix://" + HA.get("LAB_ROOT") + "/" + n + "/docker.sock",
                Duration.ofSeconds(10), JSON));
    }

    private static String filter(String name, String value) {
        return java.net.URLEncoder.encode(JSON.createObjectNode().set(name, JSON.createArrayNode().add(value)).toString(),
                java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String env(String stack, String service) {
        try {
            return docker("service", "inspect", "--format", "{{json .Spec.TaskTemplate.ContainerSpec.Env}}", stack + "_" + service);
        } catch (IllegalStateException e) {
            return "";
        }
    }

    private record Leader(String identity, String node) {
    }

    private static String compose(String value) {
        return "services:\n  app:\n    image: ${LAB_REGISTRY}/stackwarden-lab/sleep:1\n    environment: {V: \"" + value + "\"}\n";
    }

    private static String value(String output, String name) {
        return output.lines().filter(line -> line.startsWith(name + "=")).map(line -> line.substring(name.length() + 1))
                .findFirst().orElseThrow(() -> new AssertionError(name + " not in:\n" + output));
    }

    /** {@code lab.sh args...} on the second lab. */
    private static String lab(String... args) {
        return Lab.labWith(HA, args);
    }

    /** The docker CLI on a manager of the second lab that answers (the first one may be the stopped one). */
    private static String docker(String... args) {
        for (String node : MANAGERS) {
            if (!STOPPED.contains(node)) {
                List<String> command = new ArrayList<>(List.of("docker", node));
                command.addAll(List.of(args));
                return lab(command.toArray(String[]::new));
            }
        }
        throw new IllegalStateException("no manager answers");
    }

    private static int count(String kind, String stack) {
        return (int) docker(kind, "ls", "-q", "--filter", "label=com.docker.stack.namespace=" + stack).lines()
                .filter(line -> !line.isBlank()).count();
    }

    /** The replica that acts, by its health; its node from its identity ({@code <node hostname>/<task>}). */
    /** The replica that acts, once one does: between tests a returning manager may leave none acting for a moment. */
    private static Leader actingLeader() {
        List<Leader> found = new ArrayList<>();
        Await.until("a replica acts", WAIT, () -> leader().map(found::add).orElse(false));
        return found.get(0);
    }

    private static Optional<Leader> leader() {
        for (String url : urls) {
            try {
                JsonNode ready = JSON.readTree(get(url + "/q/health/ready").body());
                for (JsonNode check : ready.path("checks")) {
                    JsonNode data = check.path("data");
                    if (check.path("name").asText().equals("leader-election") && data.path("acting").asBoolean()) {
                        String identity = data.path("identity").asText();
                        String host = identity.substring(0, identity.indexOf('/'));
                        return Optional.of(new Leader(identity, host.substring(host.lastIndexOf('-') + 1)));
                    }
                }
            } catch (Exception e) {
                // this replica does not answer (its node is stopped): ask the next
            }
        }
        return Optional.empty();
    }

    private static JsonNode status(String stack) {
        for (String url : urls) {
            try {
                HttpResponse<String> answer = get(url + "/api/v1/stacks/" + stack);
                if (answer.statusCode() == 200) {
                    return JSON.readTree(answer.body());
                }
            } catch (Exception e) {
                // next replica
            }
        }
        return JSON.createObjectNode();
    }

    /** A manual sync, waited for, sent to whichever replica answers (a standby hands it on). */
    private static JsonNode sync(String stack) throws Exception {
        for (String url : urls) {
            try {
                HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/stacks/" + stack + "/sync?wait=true"))
                        .header("Authorization", "Bearer " + token).timeout(Duration.ofMinutes(3))
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                return JSON.readTree(answer.body());
            } catch (java.io.IOException e) {
                // next replica
            }
        }
        throw new AssertionError("no replica answered the sync");
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
