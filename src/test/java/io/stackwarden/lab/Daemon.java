package io.stackwarden.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** The packaged Stackwarden started as its own process, as a user starts it. */
public final class Daemon implements AutoCloseable {

    public static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path log;
    private final int port;
    /** The lease and state configs this daemon made under a name of its own, removed by {@link #close()}; null if none. */
    private final String ownLease;
    private final String dockerHost;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Daemon(Process process, Path log, int port, String ownLease, String dockerHost) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.ownLease = ownLease;
        this.dockerHost = dockerHost;
    }

    /**
     * Starts the jar with the given environment (added to this process's own) on a free port. It runs for a lease of
     * its own (a random {@code STACKWARDEN_LEADER_NAME}, so daemons of other tests on the same lab never make it a
     * standby) unless the environment names one, and tells standbys its address on this machine.
     */
    public static Daemon start(Map<String, String> env) throws IOException {
        int port = freePort();
        Path log = Files.createTempFile("stackwarden-daemon", ".log");
        ProcessBuilder builder = new ProcessBuilder("java", "-jar", JAR.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        builder.environment().put("STACKWARDEN_LEADER_ADVERTISE_URL", "http://127.0.0.1:" + port);
        String ownLease = null;
        if (!env.containsKey("STACKWARDEN_LEADER_NAME")) {
            ownLease = "it-" + Long.toString(Math.abs(new java.util.Random().nextLong()) % 1_000_000_000L, 36);
            builder.environment().put("STACKWARDEN_LEADER_NAME", ownLease);
        }
        builder.environment().putAll(env);
        return new Daemon(builder.start(), log, port, ownLease, builder.environment().get("DOCKER_HOST"));
    }

    public int port() {
        return port;
    }

    /** Starts the jar as {@link #start} does and waits until it is ready (it reaches the lab's engine). */
    public static Daemon startReady(Map<String, String> env) throws IOException, InterruptedException {
        Daemon daemon = start(env);
        daemon.await("/q/health/ready", r -> r.status() == 200, Duration.ofSeconds(90));
        return daemon;
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Where the daemon answers, e.g. for a browser: {@code http://127.0.0.1:<port>}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public boolean alive() {
        return process.isAlive();
    }

    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    /** Waits for the process to exit and returns its exit code. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("still running after " + timeout + ":\n" + output());
        }
        return process.exitValue();
    }

    /** GET on the daemon; status -1 while it does not answer. */
    public Reply get(String path) {
        return get(path, Map.of());
    }

    /** GET with the given headers (a bearer token, say). */
    public Reply get(String path, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(5));
        headers.forEach(request::header);
        return send(request.build());
    }

    /** GET of a JSON answer, parsed; fails unless the daemon answers 200. */
    public JsonNode getJson(String path) {
        Reply reply = get(path);
        if (reply.status() != 200) {
            throw new AssertionError("GET " + path + " answered " + reply);
        }
        try {
            return JSON.readTree(reply.body());
        } catch (IOException e) {
            throw new AssertionError("GET " + path + " is not JSON: " + reply.body(), e);
        }
    }

    private Reply send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body(), response.headers().map());
        } catch (IOException e) {
            return new Reply(-1, e.toString(), Map.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Reply(-1, "interrupted", Map.of());
        }
    }

    /** POST of {@code body} with the given headers; status -1 while the daemon does not answer. */
    public Reply post(String path, Map<String, String> headers, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .timeout(Duration.ofSeconds(5)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return send(request.build());
    }

    /** Polls {@code path} until the reply satisfies {@code condition}; fails with the daemon's output otherwise. */
    public Reply await(String path, Predicate<Reply> condition, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        Reply last;
        do {
            last = get(path);
            if (condition.test(last)) {
                return last;
            }
            if (!process.isAlive()) {
                throw new AssertionError("daemon exited " + process.exitValue() + ":\n" + output());
            }
            Thread.sleep(200);
        } while (System.nanoTime() < end);
        throw new AssertionError("GET " + path + " never satisfied the condition within " + timeout
                + "; last reply " + last + "\n--- daemon output ---\n" + output());
    }

    /** SIGKILL: no shutdown of any kind, as a crash or an OOM kill. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(20, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        if (ownLease != null && dockerHost != null && dockerHost.startsWith("unix://")) {
            try {
                new ProcessBuilder("docker", "-H", dockerHost, "config", "rm", ownLease + ".lease", ownLease + ".state")
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
                        .waitFor(30, TimeUnit.SECONDS);
            } catch (IOException e) {
                // best effort: a config left behind holds no resource but a name
            }
        }
    }

    /** Stops the daemon and keeps its output as {@code target/<name>-daemon.log}, for a look after the run. */
    public void closeKeepingLog(String name) throws InterruptedException, IOException {
        close();
        Files.writeString(Path.of("target", name + "-daemon.log"), output());
    }

    public record Reply(int status, String body, Map<String, java.util.List<String>> headers) {

        /** The first value of a response header (any case), or "" when absent. */
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).findFirst().orElse("");
        }

        @Override
        public String toString() {
            return "Reply[" + status + " " + body + "]";
        }
    }
}
