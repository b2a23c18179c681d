package io.stackwarden.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackwarden.lab.Daemon;
import io.stackwarden.lab.Lab;
import io.stackwarden.support.Await;
import io.stackwarden.swarm.EngineApi;
import io.stackwarden.swarm.HttpSwarmEngine;
import io.stackwarden.swarm.TaskInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The node agent on the lab: the image of this build ({@code lab.sh stackwarden-image}) deployed as a global service
 * with {@code docker stack deploy}, as the install deploys it beside Stackwarden, and the node remedies of the packaged
 * Stackwarden carried out through it. Stackwarden runs on the host, so it reaches the agents at their nodes' addresses. The stuck shim is the
 * lab's own fault ({@code lab.sh shim-stop}); the leftover is a container made on a node with a managed stack's labels.
 */
class NodeAgentIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RUN = Long.toString(Math.abs(new Random().nextLong()) % 46656, 36);
    private static final String AGENTS = "nodeagent";
    private static final Duration DEPLOYED = Duration.ofMinutes(3);
    private static final Duration FIXED = Duration.ofSeconds(90);
    private static Path work;
    private static Path desired;
    private static String token;
    private static Daemon daemon;
    private static EngineApi api;
    private static HttpSwarmEngine engine;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private final List<String> stacks = new ArrayList<>();
    private final List<String[]> containers = new ArrayList<>();
    private final List<String> stoppedShims = new ArrayList<>();

    @BeforeAll
    static void deployTheAgents() throws Exception {
        String image = Lab.stackwardenImage();
        api = new EngineApi(Lab.dockerHost(), Duration.ofSeconds(20), JSON);
        engine = new HttpSwarmEngine(api);
        work = Files.createTempDirectory("stackwarden-agent");
        desired = Files.createDirectories(work.resolve("desired"));
        // prune off: other stacks Stackwarden manages on the lab are not this test's; its own are removed by the CLI.
        Files.writeString(desired.resolve("stackwarden.yaml"), "defaults: {prune: false}\n");
        token = HexFormat.of().formatHex(new SecureRandom().generateSeed(24));
        Path tokenFile = Files.writeString(work.resolve("agent-token"), token);
        // Installed beside Stackwarden, as k8s-free-deploy does: a service Stackwarden deployed is never taken for an agent.
        Path agents = Files.createDirectories(work.resolve(AGENTS));
        try (InputStream compose = NodeAgentIT.class.getResourceAsStream("/node-agent/compose.yaml")) {
            Files.copy(compose, agents.resolve("compose.yaml"));
        }
        Files.writeString(agents.resolve("token"), token);
        Lab.dockerWith(Map.of("STACKWARDEN_IMAGE", image, "STACKWARDEN_SOCKET_GID", Integer.toString(Lab.socketGid())),
                "stack", "deploy", "--resolve-image", "never", "-c", agents.resolve("compose.yaml").toString(), AGENTS);
        daemon = Daemon.startReady(Map.ofEntries(
                Map.entry("DOCKER_HOST", Lab.dockerHost()),
                Map.entry("LAB_REGISTRY", Lab.registry()),
                Map.entry("STACKWARDEN_DESIRED_DIR", desired.toString()),
                Map.entry("STACKWARDEN_SOURCE_SCAN_INTERVAL", "1s"),
                Map.entry("STACKWARDEN_AGENT_TOKEN_FILE", tokenFile.toString()),
                Map.entry("STACKWARDEN_AGENT_ADDRESS", "node"),
                Map.entry("STACKWARDEN_AGENT_SCAN_INTERVAL", "1s"),
                Map.entry("STACKWARDEN_AGENT_STUCK_MARGIN", "5s"),
                Map.entry("STACKWARDEN_AGENT_LEFTOVER_GRACE", "3s"),
                Map.entry("STACKWARDEN_AGENT_ACTIONS_PER_MINUTE", "30")));
        for (String node : List.of("m1", "w1", "w2")) {
            Await.until("the agent of " + node + " answers", DEPLOYED, () -> call(node, "list-leftover-candidates",
                    "{\"stacks\":[]}", "Bearer " + token).status() == 200, daemon::output);
        }
    }

    @AfterAll
    static void removeTheAgents() throws Exception {
        if (daemon != null) {
            daemon.closeKeepingLog("NodeAgentIT");
        }
        tolerant(() -> Lab.docker("stack", "rm", AGENTS));
        if (api != null) {
            api.close();
        }
        if (work != null) {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /** Whatever a test left: its stacks, its containers, and a shim it stopped that no agent killed. */
    @AfterEach
    void cleanUp() throws IOException {
        stoppedShims.forEach(id -> tolerant(() -> Lab.lab("shim-kill", id)));
        for (String stack : stacks) {
            try (Stream<Path> files = Files.walk(desired.resolve(stack))) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
            tolerant(() -> Lab.docker("stack", "rm", stack));
        }
        containers.forEach(container -> tolerant(() -> Lab.lab("docker", container[0], "rm", "-f", container[1])));
    }

    /** Cleaning up what may be gone already. */
    private static void tolerant(Runnable step) {
        try {
            step.run();
        } catch (IllegalStateException e) {
            // gone already, which is what the step was for
        }
    }

    /** POST of an agent action to the agent of a lab node, at its node's address; status -1 while it does not answer. */
    private static Daemon.Reply call(String node, String action, String body, String authorization) {
        String address = engine.nodeAddresses().get(Lab.nodeId(node));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + address + ":8091/v1/" + action))
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Daemon.Reply(response.statusCode(), response.body(), response.headers().map());
        } catch (IOException e) {
            return new Daemon.Reply(-1, e.toString(), Map.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A stack of one service on a worker, its containers stopped at once (stop grace 2s). */
    private String deploy(String prefix, int replicas) throws IOException {
        String stack = prefix + RUN;
        if (!stacks.contains(stack)) {
            stacks.add(stack);
        }
        Files.createDirectories(desired.resolve(stack));
        Files.writeString(desired.resolve(stack).resolve("compose.yaml"), """
                services:
                  app:
                    image: ${LAB_REGISTRY}/stackwarden-lab/sleep:1
                    stop_grace_period: 2s
                    deploy:
                      replicas: %d
                      placement:
                        constraints: [node.role == worker]
                """.formatted(replicas));
        return stack;
    }

    private static Optional<TaskInfo> runningTask(String service) {
        try {
            return engine.tasks(service).stream().filter(TaskInfo::running).filter(t -> !t.containerId().isEmpty()).findFirst();
        } catch (RuntimeException e) {
            return Optional.empty(); // not created yet
        }
    }

    private static TaskInfo awaitRunning(String service) {
        Await.until(service + " running", DEPLOYED, () -> runningTask(service).isPresent(), daemon::output);
        return runningTask(service).orElseThrow();
    }

    private static String replicas(String service) {
        return Lab.docker("service", "ls", "--filter", "name=" + service, "--format", "{{.Name}} {{.Replicas}}").lines()
                .filter(line -> line.startsWith(service + " ")).map(line -> line.substring(service.length() + 1)).findFirst().orElse("");
    }

    private static JsonNode status(String stack) throws IOException {
        return JSON.readTree(daemon.get("/api/v1/stacks/" + stack).body());
    }

    private static String metrics() {
        return daemon.get("/q/metrics").body();
    }

    private static String kill(String stack, TaskInfo task) {
        return "{\"stack\":\"" + stack + "\",\"container\":\"" + task.containerId() + "\",\"task\":\"" + task.id()
                + "\",\"reason\":\"NodeAgentIT\",\"requester\":\"NodeAgentIT\"}";
    }

    @Test
    void withoutTheTokenAnAgentDoesNothingAndAContainerOfAnotherStackIsRefused() throws IOException {
        String stack = deploy("own", 1);
        TaskInfo task = awaitRunning(stack + "_app");
        String node = Lab.node(task.nodeId());
        for (String authorization : new String[] {null, "Bearer wrong-" + token, "Basic " + token}) {
            Daemon.Reply response = call(node, "kill-shim", kill(stack, task), authorization);
            assertEquals(401, response.status(), authorization + ": " + response.body());
        }
        Daemon.Reply other = call(node, "kill-shim", kill(AGENTS, task), "Bearer " + token);
        assertEquals(403, other.status(), other.body());
        JsonNode refused = JSON.readTree(other.body());
        assertEquals("refused", refused.path("outcome").asText());
        assertEquals("the container is not of stack " + AGENTS, refused.path("detail").asText());
        Daemon.Reply otherTask = call(node, "remove-leftover", kill(stack, new TaskInfo("x".repeat(25), "", "", "", "", "",
                "", task.containerId())), "Bearer " + token);
        assertEquals(403, otherTask.status(), otherTask.body());
        assertEquals(Optional.of(task), runningTask(stack + "_app"), "the same task still runs");
        assertEquals("running", Lab.lab("docker", node, "ps", "--filter", "id=" + task.containerId(), "--format", "{{.State}}").trim());
    }

    @Test
    void aStuckTasksShimIsKilledByItsNodesAgentAndTheServiceConverges() throws Exception {
        String stack = deploy("stuck", 1);
        String service = stack + "_app";
        TaskInfo task = awaitRunning(service);
        Lab.lab("shim-stop", task.containerId());
        stoppedShims.add(task.containerId());
        deploy("stuck", 0);
        Await.until(service + " stuck at 1/0 (the talk's Replicas 2/1)", FIXED, () -> replicas(service).equals("1/0"),
                daemon::output);
        Await.until(service + " back to 0/0", FIXED, () -> replicas(service).equals("0/0"), daemon::output);
        assertEquals(Optional.empty(), runningTask(service));
        assertTrue(engine.tasks(service).stream().noneMatch(t -> "running".equals(t.state())), engine.tasks(service).toString());
        // The service converges while the agent still answers: the status follows the answer.
        daemon.await("/api/v1/stacks/" + stack, r -> r.body().contains("\"remedy\":\"stuck-task\",\"state\":\"killed\""), FIXED);
        JsonNode remedy = StreamSupport.stream(status(stack).path("services").spliterator(), false)
                .filter(s -> s.path("name").asText().equals(service)).findFirst().orElseThrow().path("remedies").path(0);
        assertEquals("killed", remedy.path("state").asText(), remedy.toString());
        assertTrue(remedy.path("lastError").asText().matches("killed \\(pid [0-9]+\\): shim killed; the engine reports the"
                + " container ended"), remedy.toString());
        assertTrue(status(stack).path("message").asText().contains("task " + task.id()), status(stack).toString());
        assertTrue(metrics().contains("stackwarden_remedies_total{outcome=\"killed\",remedy=\"stuck-task\"}"), "counted");
    }

    @Test
    void aLeftoverContainerOfAManagedStackIsRemovedAndForeignContainersAreLeftAlone() throws Exception {
        String stack = deploy("left", 1);
        awaitRunning(stack + "_app");
        String image = Lab.registry() + "/stackwarden-lab/sleep:1";
        String leftover = run("w1", image, "com.docker.stack.namespace=" + stack);
        String foreign = run("w1", image, "com.docker.stack.namespace=foreign" + RUN);
        String plain = run("w1", image);
        Await.until("the leftover removed", FIXED, () -> Lab.lab("docker", "w1", "ps", "-aq", "--no-trunc", "--filter", "id=" + leftover)
                .isBlank(), daemon::output);
        assertEquals("running", state("w1", foreign), "another stack's container is left alone");
        assertEquals("running", state("w1", plain), "a container of no stack is left alone");
        daemon.await("/api/v1/stacks/" + stack, r -> r.body().contains("leftover container " + leftover), FIXED);
        assertTrue(status(stack).path("message").asText().contains("remove-leftover removed"), status(stack).toString());
        assertTrue(metrics().contains("stackwarden_remedies_total{outcome=\"removed\",remedy=\"leftover\"}"), "counted");
    }

    /** A container made on the node by hand, with a swarm task and service label of its own (neither exists). */
    private String run(String node, String image, String... labels) {
        List<String> command = new ArrayList<>(List.of("docker", node, "run", "-d", "--label",
                "com.docker.swarm.task.id=" + swarmId(), "--label", "com.docker.swarm.service.id=" + swarmId()));
        for (String label : labels) {
            command.addAll(List.of("--label", label));
        }
        command.add(image);
        String id = Lab.lab(command.toArray(String[]::new)).lines().reduce((a, b) -> b).orElseThrow().trim();
        containers.add(new String[] {node, id});
        return id;
    }

    private static String state(String node, String container) {
        return Lab.lab("docker", node, "inspect", "--format", "{{.State.Status}}", container).trim();
    }

    private static String swarmId() {
        String digits = "0123456789abcdefghijklmnopqrstuvwxyz";
        Random random = new Random();
        StringBuilder id = new StringBuilder();
        for (int i = 0; i < 25; i++) {
            id.append(digits.charAt(random.nextInt(digits.length())));
        }
        return id.toString();
    }
}
