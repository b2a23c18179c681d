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
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Daemon(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Starts the jar with the given environment (added to this process's own) on a free port. */
    public static Daemon start(Map<String, String> env) throws IOException {
        int port = freePort();
        Path log = Files.createTempFile("stackwarden-daemon", ".log");
        ProcessBuilder builder = new ProcessBuilder("java", "-jar", JAR.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        builder.environment().putAll(env);
        return new Daemon(builder.start(), log, port);
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
        return send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(5)).build());
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
            return new Reply(response.statusCode(), response.body());
        } catch (IOException e) {
            return new Reply(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Reply(-1, "interrupted");
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

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    /** Stops the daemon and keeps its output as {@code target/<name>-daemon.log}, for a look after the run. */
    public void closeKeepingLog(String name) throws InterruptedException, IOException {
        close();
        Files.writeString(Path.of("target", name + "-daemon.log"), output());
    }

    public record Reply(int status, String body) {
    }
}
