package io.stackwarden.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.stackwarden.support.Deadline;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The Docker Engine HTTP API as JSON in and JSON out. We send our own JSON instead of docker-java's
 * model classes because those drop fields (sysctls, placement preferences, job modes) on a
 * read-modify-write; docker-java supplies only the transport. Every call has a hard deadline.
 */
public final class EngineApi implements AutoCloseable {

    private final URI host;
    private final DockerHttpClient http;
    private final ObjectMapper json;
    private final Duration timeout;
    private final Deadline deadline = new Deadline("engine-call");

    public EngineApi(String dockerHost, Duration timeout, ObjectMapper json) {
        DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(dockerHost)
                .build();
        this.host = config.getDockerHost();
        this.http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(host)
                .sslConfig(config.getSSLConfig())
                .maxConnections(32)
                .connectionTimeout(timeout)
                .responseTimeout(timeout)
                .build();
        this.json = json;
        this.timeout = timeout;
    }

    public URI host() {
        return host;
    }

    public JsonNode get(String path) {
        return call(DockerHttpClient.Request.Method.GET, path, null);
    }

    public JsonNode post(String path, Object body) {
        return call(DockerHttpClient.Request.Method.POST, path, body);
    }

    public JsonNode delete(String path) {
        return call(DockerHttpClient.Request.Method.DELETE, path, null);
    }

    private JsonNode call(DockerHttpClient.Request.Method method, String path, Object body) {
        String what = method + " " + path;
        byte[] bytes;
        int status;
        try {
            DockerHttpClient.Request.Builder request = DockerHttpClient.Request.builder().method(method).path(path);
            if (body != null) {
                request.putHeader("Content-Type", "application/json")
                        .body(new ByteArrayInputStream(json.writeValueAsBytes(body)));
            }
            DockerHttpClient.Request built = request.build();
            // Read the whole body inside the deadline: a hung engine may stall after the headers.
            Reply reply = deadline.call(timeout, () -> {
                try (DockerHttpClient.Response response = http.execute(built);
                     InputStream in = response.getBody()) {
                    return new Reply(response.getStatusCode(), in == null ? new byte[0] : in.readAllBytes());
                }
            });
            bytes = reply.body();
            status = reply.status();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw EngineException.unreachable(what, e);
        } catch (Exception e) {
            throw EngineException.unreachable(what, e);
        }
        if (status >= 400) {
            throw new EngineException(status, what + ": " + status + " " + errorMessage(bytes), null);
        }
        try {
            return bytes.length == 0 ? json.nullNode() : json.readTree(bytes);
        } catch (IOException e) {
            throw new EngineException(status, what + ": unreadable answer: " + e.getMessage(), e);
        }
    }

    private String errorMessage(byte[] bytes) {
        try {
            JsonNode node = json.readTree(bytes);
            if (node != null && node.hasNonNull("message")) {
                return node.get("message").asText();
            }
        } catch (IOException ignored) {
            // not JSON: fall through to the raw text
        }
        return new String(bytes, StandardCharsets.UTF_8).trim();
    }

    private record Reply(int status, byte[] body) {
    }

    @Override
    public void close() {
        deadline.close();
        try {
            http.close();
        } catch (IOException ignored) {
            // closing a dead connection pool has nothing left to report
        }
    }
}
