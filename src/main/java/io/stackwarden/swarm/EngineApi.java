package io.stackwarden.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.stackwarden.support.Deadline;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * The Docker Engine HTTP API as JSON in and JSON out. We send our own JSON instead of docker-java's
 * model classes because those drop fields (sysctls, placement preferences, job modes) on a
 * read-modify-write; docker-java supplies only the transport. Every call has a hard deadline.
 */
public final class EngineApi implements AutoCloseable {

    private final URI host;
    private final DockerHttpClient http;
    /** For streams only: no response timeout, since a quiet stream may rightly send nothing for hours. */
    private final DockerHttpClient streams;
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
        this.streams = new ZerodepDockerHttpClient.Builder()
                .dockerHost(host)
                .sslConfig(config.getSSLConfig())
                .maxConnections(4)
                .connectionTimeout(timeout)
                .build();
        this.json = json;
        this.timeout = timeout;
    }

    public JsonNode get(String path) {
        return call(DockerHttpClient.Request.Method.GET, path, null, Map.of());
    }

    /** A GET with extra request headers (such as {@code X-Registry-Auth}); header values never reach a message. */
    public JsonNode get(String path, Map<String, String> headers) {
        return call(DockerHttpClient.Request.Method.GET, path, null, headers);
    }

    public JsonNode post(String path, Object body) {
        return call(DockerHttpClient.Request.Method.POST, path, body, Map.of());
    }

    /** A POST with extra request headers (such as {@code X-Registry-Auth}); header values never reach a message. */
    public JsonNode post(String path, Object body, Map<String, String> headers) {
        return call(DockerHttpClient.Request.Method.POST, path, body, headers);
    }

    public JsonNode delete(String path) {
        return call(DockerHttpClient.Request.Method.DELETE, path, null, Map.of());
    }

    /**
     * Opens a streaming GET ({@code /events}). Only connecting and the response headers are bound by the
     * call deadline; the body is read by the caller for as long as it flows. Closing the returned
     * stream aborts the connection, which also ends a read blocked in another thread.
     */
    public InputStream stream(String path) {
        String what = "GET " + path + " (stream)";
        DockerHttpClient.Request request = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.GET).path(path).build();
        DockerHttpClient.Response response;
        try {
            response = deadline.open(timeout, () -> streams.execute(request));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw EngineException.unreachable(what, e);
        } catch (Exception e) {
            throw EngineException.unreachable(what, e);
        }
        int status = response.getStatusCode();
        if (status >= 400) {
            byte[] bytes;
            try (response; InputStream in = response.getBody()) {
                bytes = in == null ? new byte[0] : in.readNBytes(4096);
            } catch (IOException e) {
                bytes = new byte[0];
            }
            throw new EngineException(status, what + ": " + status + " " + errorMessage(bytes), null);
        }
        return new FilterInputStream(response.getBody()) {
            @Override
            public void close() {
                response.close(); // aborts first: closing the body alone would read an endless stream to its end
            }
        };
    }

    private JsonNode call(DockerHttpClient.Request.Method method, String path, Object body, Map<String, String> headers) {
        String what = method + " " + path;
        byte[] bytes;
        int status;
        try {
            DockerHttpClient.Request.Builder request = DockerHttpClient.Request.builder().method(method).path(path)
                    .putAllHeaders(headers);
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
        for (DockerHttpClient client : new DockerHttpClient[] {http, streams}) {
            try {
                client.close();
            } catch (IOException ignored) {
                // closing a dead connection pool has nothing left to report
            }
        }
    }
}
