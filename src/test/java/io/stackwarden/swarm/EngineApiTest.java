package io.stackwarden.swarm;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine transport over a real unix socket served by the test. */
class EngineApiTest {

    @TempDir
    Path dir;

    /** Serves each connection on its own thread with {@code answer} (null: read and never answer). */
    private Thread serve(Path socket, Function<String, String> answer) throws Exception {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        List<SocketChannel> open = new ArrayList<>();
        Thread thread = new Thread(() -> {
            try (server) {
                while (true) {
                    SocketChannel client = server.accept();
                    open.add(client);
                    ByteBuffer buffer = ByteBuffer.allocate(8192);
                    client.read(buffer);
                    String request = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII);
                    String reply = answer.apply(request);
                    if (reply != null) {
                        client.write(ByteBuffer.wrap(reply.getBytes(StandardCharsets.UTF_8)));
                        client.close();
                    }
                }
            } catch (Exception stopped) {
                // the test is over
            }
        });
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static String http(int status, String body) {
        return "HTTP/1.1 " + status + " X\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    @Test
    void aHungEngineFailsTheCallAtTheDeadline() throws Exception {
        Path socket = dir.resolve("hung.sock");
        serve(socket, request -> null);
        try (EngineApi api = new EngineApi("unix://" + socket, Duration.ofMillis(500), new ObjectMapper())) {
            long start = System.nanoTime();
            EngineException e = assertThrows(EngineException.class, () -> api.get("/info"));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(e.isUnreachable());
            assertTrue(millis < 5_000, "returned after " + millis + " ms");
        }
    }

    @Test
    void anAbsentSocketIsUnreachable() {
        try (EngineApi api = new EngineApi("unix://" + dir.resolve("none.sock"), Duration.ofSeconds(2), new ObjectMapper())) {
            assertTrue(assertThrows(EngineException.class, () -> api.get("/info")).isUnreachable());
        }
    }

    @Test
    void jsonAnswersAndEngineErrorsAreDecoded() throws Exception {
        Path socket = dir.resolve("engine.sock");
        serve(socket, request -> request.startsWith("GET /info")
                ? http(200, "{\"Name\":\"swl-m1\",\"Swarm\":{\"ControlAvailable\":true}}")
                : http(404, "{\"message\":\"service x not found\"}"));
        try (EngineApi api = new EngineApi("unix://" + socket, Duration.ofSeconds(2), new ObjectMapper())) {
            assertEquals("swl-m1", api.get("/info").path("Name").asText());
            EngineException e = assertThrows(EngineException.class, () -> api.get("/services/x"));
            assertTrue(e.isNotFound());
            assertTrue(e.getMessage().contains("service x not found"), e.getMessage());
        }
    }

    @Test
    void aStreamOutlivesTheCallDeadlineAndClosingItEndsABlockedRead() throws Exception {
        Path socket = dir.resolve("events.sock");
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        CountDownLatch second = new CountDownLatch(1);
        CountDownLatch over = new CountDownLatch(1);
        Thread engine = new Thread(() -> {
            try (server; SocketChannel client = server.accept()) {
                client.read(ByteBuffer.allocate(8192));
                client.write(ascii("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"));
                client.write(chunk("{\"Type\":\"service\",\"Action\":\"update\"}\n"));
                second.await();
                client.write(chunk("{\"Type\":\"network\",\"Action\":\"remove\"}\n"));
                over.await(); // then silence, as a quiet engine
            } catch (Exception stopped) {
                // the test is over
            }
        });
        engine.setDaemon(true);
        engine.start();
        Duration callDeadline = Duration.ofMillis(500);
        try (EngineApi api = new EngineApi("unix://" + socket, callDeadline, new ObjectMapper())) {
            InputStream events = api.stream("/events");
            BufferedReader lines = new BufferedReader(new InputStreamReader(events, StandardCharsets.UTF_8));
            assertEquals("{\"Type\":\"service\",\"Action\":\"update\"}", lines.readLine());
            CompletableFuture<Object> next = CompletableFuture.supplyAsync(() -> readLine(lines));
            // The one wait on time: the engine stays quiet for longer than the call deadline, the scenario itself.
            // A deadline applied to the stream would end the read within it and fail here, whatever the machine's pace.
            assertThrows(TimeoutException.class, () -> next.get(callDeadline.multipliedBy(3).toMillis(), TimeUnit.MILLISECONDS),
                    () -> "the read ended during the quiet time: " + next.getNow(null));
            second.countDown();
            assertEquals("{\"Type\":\"network\",\"Action\":\"remove\"}", next.get(5, TimeUnit.SECONDS),
                    "the read waited for the next event");

            CompletableFuture<Object> blocked = CompletableFuture.supplyAsync(() -> readLine(lines));
            events.close();
            Object ended = blocked.get(5, TimeUnit.SECONDS); // a bound only for a hopeless wait
            assertTrue(ended == null || ended instanceof IOException, "closing ends the read: " + ended);
        } finally {
            over.countDown();
        }
    }

    /** The next line, or the exception that ended the read. */
    private static Object readLine(BufferedReader lines) {
        try {
            return lines.readLine();
        } catch (IOException e) {
            return e;
        }
    }

    private static ByteBuffer chunk(String text) {
        return ascii(Integer.toHexString(text.length()) + "\r\n" + text + "\r\n");
    }

    private static ByteBuffer ascii(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }
}
