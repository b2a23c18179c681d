package io.stackwarden.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The agent's HTTP API on a fake engine: the token before anything else, the closed list of actions, typed answers. */
class AgentServerTest {

    private static final String TOKEN = "s3cret-agent-token";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private final FakeNodeEngine engine = new FakeNodeEngine();
    private final HttpClient http = HttpClient.newHttpClient();
    private AgentServer server;
    private Path tokenFile;

    @BeforeEach
    void start() throws IOException {
        tokenFile = Files.writeString(dir.resolve("token"), TOKEN + "\n");
        engine.add(NodeActionsTest.ID, true, Map.of("com.docker.stack.namespace", "shop",
                NodeActions.TASK_LABEL, NodeActionsTest.TASK));
        server = new AgentServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), new AgentToken(tokenFile),
                new NodeActions(engine, (bound, condition) -> condition.getAsBoolean(), Duration.ofSeconds(1)));
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> post(String path, String authorization, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String kill(String stack) {
        return "{\"stack\":\"" + stack + "\",\"container\":\"" + NodeActionsTest.ID + "\",\"task\":\"" + NodeActionsTest.TASK
                + "\",\"reason\":\"stuck\",\"requester\":\"test\"}";
    }

    @Test
    void withoutTheTokenEveryRequestIs401AndNothingIsDone() throws Exception {
        for (String authorization : new String[] {null, "", "Bearer ", "Bearer wrong", "Basic " + TOKEN, "Bearer " + TOKEN + "x",
                TOKEN}) {
            HttpResponse<String> response = post("/v1/kill-shim", authorization, kill("shop"));
            assertEquals(401, response.statusCode(), "Authorization: " + authorization);
            assertTrue(!response.body().contains(TOKEN), "the token is never echoed");
        }
        assertEquals(401, post("/v1/no-such-action", null, "{}").statusCode(), "the token is checked first");
        assertTrue(engine.killed.isEmpty(), "no action without the token");
    }

    @Test
    void anEmptyTokenFileAcceptsNothing() throws Exception {
        Files.writeString(tokenFile, "\n");
        assertEquals(401, post("/v1/kill-shim", "Bearer ", kill("shop")).statusCode());
        assertEquals(401, post("/v1/kill-shim", "Bearer x", kill("shop")).statusCode());
        assertTrue(engine.killed.isEmpty());
    }

    @Test
    void withTheTokenTheActionIsDoneAndItsOutcomeTyped() throws Exception {
        HttpResponse<String> response = post("/v1/kill-shim", "Bearer " + TOKEN, kill("shop"));
        assertEquals(200, response.statusCode(), response.body());
        JsonNode result = JSON.readTree(response.body());
        assertEquals("killed", result.path("outcome").asText());
        assertEquals(4242, result.path("pid").asLong());
        assertEquals("node1", result.path("node").asText());
    }

    @Test
    void aContainerOfAnotherStackIs403Refused() throws Exception {
        HttpResponse<String> response = post("/v1/kill-shim", "bearer " + TOKEN, kill("other"));
        assertEquals(403, response.statusCode());
        assertEquals("refused", JSON.readTree(response.body()).path("outcome").asText());
        assertTrue(engine.killed.isEmpty());
    }

    @Test
    void onlyTheClosedListOfActionsByPost() throws Exception {
        assertEquals(404, post("/v1/exec", "Bearer " + TOKEN, "{\"cmd\":\"rm -rf /\"}").statusCode());
        assertEquals(404, post("/v1/kill-shim/../exec", "Bearer " + TOKEN, kill("shop")).statusCode());
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/kill-shim"))
                .header("Authorization", "Bearer " + TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, get.statusCode());
        assertTrue(engine.killed.isEmpty());
    }

    @Test
    void aBadBodyIs400() throws Exception {
        assertEquals(400, post("/v1/kill-shim", "Bearer " + TOKEN, "not json").statusCode());
        assertEquals(400, post("/v1/kill-shim", "Bearer " + TOKEN, "null").statusCode());
        assertEquals(400, post("/v1/kill-shim", "Bearer " + TOKEN, "").statusCode());
        assertEquals(413, post("/v1/kill-shim", "Bearer " + TOKEN, "x".repeat(70_000)).statusCode());
        assertTrue(engine.killed.isEmpty());
    }

    @Test
    void candidatesAreListedForTheNamedStacks() throws Exception {
        HttpResponse<String> response = post("/v1/list-leftover-candidates", "Bearer " + TOKEN,
                "{\"stacks\":[\"shop\"],\"requester\":\"test\"}");
        assertEquals(200, response.statusCode());
        JsonNode body = JSON.readTree(response.body());
        assertEquals(NodeActionsTest.ID, body.path("containers").path(0).path("container").asText());
        assertEquals(0, JSON.readTree(post("/v1/list-leftover-candidates", "Bearer " + TOKEN, "{\"stacks\":[\"x\"]}").body())
                .path("containers").size());
    }

    @Test
    void clientsThatSendTheirHeadersSlowlyDoNotHoldStackwardensCalls() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
                socket.getOutputStream().write("POST /v1/kill-shim HTTP/1.1\r\nHost: agent\r\n".getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                slow.add(socket);
            }
            // The timeout only ends the test should the agent hang; the assertion is the answer.
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                    + "/v1/kill-shim")).timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + TOKEN)
                    .POST(HttpRequest.BodyPublishers.ofString(kill("shop"))).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
        } finally {
            for (Socket socket : slow) {
                socket.close();
            }
        }
    }
}
