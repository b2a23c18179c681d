package io.stackwarden.api.http;

import io.stackwarden.support.Await;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stackwarden.support.ConstantTime;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Slow and greedy clients against the real HTTP layer of the test profile (a per-client limit of 300
 * requests in progress, a webhook body timeout of 5 s, a webhook body cap of 64K).
 */
@QuarkusTest
class SlowClientsTest {

    private static final String TOKEN = "Bearer test-token-0123456789";
    private static final String SECRET = "test-webhook-secret-0123456789";
    /** Above Quarkus' 200 worker threads: before the fix, this many slow bodies froze the daemon. */
    private static final int SLOW = 250;
    private static final int LIMIT = 300;

    @TestHTTPResource("/")
    URL root;
    @Inject
    ClientRequestLimit limit;

    private final List<Socket> sockets = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void closeSockets() throws Exception {
        for (Socket socket : sockets) {
            socket.close();
        }
        sockets.clear();
        await("every request released", () -> inProgress() == 0);
    }

    /** A signed-looking GitHub delivery that declares 1000 bytes and sends 10 of them, then stalls. */
    private Socket slowWebhook() throws IOException {
        Socket socket = new Socket(root.getHost(), root.getPort());
        socket.setSoTimeout(20_000);
        sockets.add(socket);
        socket.getOutputStream().write(("POST /api/v1/webhooks/github HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nX-GitHub-Event: push\r\nX-Hub-Signature-256: sha256=" + "0".repeat(64)
                + "\r\nContent-Length: 1000\r\n\r\n{\"ref\": \"r").getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return socket;
    }

    private int inProgress() {
        return limit.inProgress().values().stream().mapToInt(Integer::intValue).sum();
    }

    private static void await(String what, BooleanSupplier condition) {
        Await.until(what, Duration.ofSeconds(30), condition);
    }

    /** A request with a 5 s deadline: a frozen server fails the test instead of hanging it. */
    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(root.toString()).resolve(path));
    }

    private static String statusLine(Socket socket) throws IOException {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
    }

    @Test
    void hundredsOfSlowWebhookBodiesLeaveHealthTheApiAndWebhooksAnswering() throws Exception {
        List<Socket> slow = new ArrayList<>();
        for (int i = 0; i < SLOW; i++) {
            slow.add(slowWebhook());
        }
        await(SLOW + " slow requests in progress", () -> inProgress() >= SLOW);

        assertEquals(200, send(request("/q/health/live")).statusCode());
        assertEquals(200, send(request("/api/v1/stacks").header("Authorization", TOKEN)).statusCode());
        byte[] push = "{\"ref\":\"refs/heads/main\",\"after\":\"4c2a9e1f0b3d5a7c9e1f2a3b4c5d6e7f8a9b0c1d\"}"
                .getBytes(StandardCharsets.UTF_8);
        String signature = "sha256=" + HexFormat.of().formatHex(
                ConstantTime.hmacSha256(SECRET.getBytes(StandardCharsets.UTF_8), push));
        HttpResponse<String> webhook = send(request("/api/v1/webhooks/generic")
                .header("Content-Type", "application/json").header("X-Stackwarden-Signature", signature)
                .POST(HttpRequest.BodyPublishers.ofByteArray(push)));
        assertEquals(202, webhook.statusCode(), webhook.body());
        // All of them were still open while the server answered.
        assertTrue(inProgress() >= SLOW, "slow requests in progress: " + inProgress());

        // Each is then cut off by stackwarden.webhooks.body-timeout instead of holding on for ever.
        for (Socket socket : slow) {
            String status = statusLine(socket);
            assertTrue(status != null && status.startsWith("HTTP/1.1 408"), status);
        }
    }

    @Test
    void aClientOverItsRequestLimitGets429WhileHealthStillAnswers() throws Exception {
        for (int i = 0; i < LIMIT; i++) {
            slowWebhook();
        }
        await(LIMIT + " slow requests in progress", () -> inProgress() >= LIMIT);

        HttpResponse<String> refused = send(request("/api/v1/stacks").header("Authorization", TOKEN));
        assertEquals(429, refused.statusCode());
        assertTrue(refused.body().contains("stackwarden.http.max-requests-per-client"), refused.body());
        assertEquals(200, send(request("/q/health/live")).statusCode());
        assertEquals(200, send(request("/q/metrics")).statusCode());
    }

    @Test
    void aChunkedWebhookBodyOverTheCapGets413() throws Exception {
        Socket socket = new Socket(root.getHost(), root.getPort());
        sockets.add(socket);
        socket.setSoTimeout(10_000);
        String chunk = "x".repeat(70_000);
        socket.getOutputStream().write(("POST /api/v1/webhooks/github HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nX-GitHub-Event: push\r\nX-Hub-Signature-256: sha256=" + "0".repeat(64)
                + "\r\nTransfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        BufferedReader reader = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        String status = reader.readLine();
        assertTrue(status.startsWith("HTTP/1.1 413"), status);
        int length = 0;
        for (String line = reader.readLine(); !line.isEmpty(); line = reader.readLine()) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        char[] body = new char[length];
        for (int read = 0; read < length; ) {
            read += reader.read(body, read, length - read);
        }
        assertTrue(new String(body).contains("stackwarden.webhooks.max-body"), new String(body));
    }
}
