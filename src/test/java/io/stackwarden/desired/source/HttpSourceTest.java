package io.stackwarden.desired.source;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.stackwarden.support.Backoff;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTTP(S) transport with a token: an in-process server that asks for Basic credentials and serves the
 * bare repository over Git's plain ("dumb") HTTP protocol. TLS is left out; the credentials are the same.
 */
class HttpSourceTest {

    private static final String COMPOSE = "services:\n  app:\n    image: app:1\n";
    private static final String TOKEN = "glpat-test-token-0123456789";

    @TempDir
    Path dir;

    private TestRemote remote;
    private HttpServer server;
    private final List<String> authorizations = new CopyOnWriteArrayList<>();

    @BeforeEach
    void server() throws Exception {
        remote = new TestRemote(dir);
        remote.write("shop/compose.yaml", COMPOSE).push();
        Process info = new ProcessBuilder("git", "--git-dir", remote.bare.toString(), "update-server-info")
                .redirectErrorStream(true).start();
        assertEquals(0, info.waitFor(), new String(info.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/remote.git/", this::serve);
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop(0);
        remote.close();
    }

    /** Files of the bare repository, to a client that sends {@code git:TOKEN} as Basic credentials. */
    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            String expected = "Basic " + Base64.getEncoder().encodeToString(("git:" + TOKEN).getBytes(StandardCharsets.UTF_8));
            if (authorization == null || !authorization.equals(expected)) {
                if (authorization != null) {
                    authorizations.add(authorization);
                }
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"git\"");
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            authorizations.add(authorization);
            Path file = remote.bare.resolve(exchange.getRequestURI().getPath().substring("/remote.git/".length())).normalize();
            if (!file.startsWith(remote.bare) || !Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body = Files.readAllBytes(file);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private SourceSync sync(Path tokenFile) {
        GitSettings settings = new GitSettings(Optional.of("http://127.0.0.1:" + server.getAddress().getPort() + "/remote.git"),
                "main", Optional.of(tokenFile), "git", Optional.empty(), Optional.empty(), Duration.ofSeconds(20));
        return new SourceSync(new GitOrigin(new WorkingCopy(dir.resolve("desired"), settings), settings, ""), Duration.ofHours(1),
                new Backoff(Duration.ofMillis(10), Duration.ofMillis(20)), Clock.systemUTC());
    }

    @Test
    void fetchesWithTheTokenFromItsFileAsBasicCredentials() throws Exception {
        Path token = Files.writeString(dir.resolve("token"), TOKEN + "\n");
        try (SourceSync sync = sync(token)) {
            assertTrue(sync.refresh(), () -> sync.status().error());
            assertEquals(COMPOSE, Files.readString(dir.resolve("desired/shop/compose.yaml")));
            assertFalse(sync.status().stale());
        }
        assertFalse(authorizations.isEmpty(), "the server was asked with credentials");
    }

    @Test
    void aWrongTokenFetchesNothingAndIsNeverShown() throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "wrong-token-9876543210\n");
        try (SourceSync sync = sync(token)) {
            assertFalse(sync.refresh());
            assertTrue(sync.status().stale());
            assertFalse(sync.status().readable());
            assertFalse(Files.exists(dir.resolve("desired/shop")), "nothing fetched");
            assertFalse(sync.status().error().contains("wrong-token"), sync.status().error());
        }
    }
}
