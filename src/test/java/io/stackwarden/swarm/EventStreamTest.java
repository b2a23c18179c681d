package io.stackwarden.swarm;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackwarden.support.Backoff;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The stream's loop against piped connections the test writes events into and ends. */
class EventStreamTest {

    private final BlockingQueue<PipedOutputStream> connections = new LinkedBlockingQueue<>();
    private final List<String> heard = new CopyOnWriteArrayList<>();
    private final BlockingQueue<String> heardQueue = new LinkedBlockingQueue<>();
    private EventStream stream;

    @AfterEach
    void close() {
        if (stream != null) {
            stream.close();
        }
    }

    private InputStream connection() {
        try {
            PipedOutputStream out = new PipedOutputStream();
            connections.add(out);
            // Like an aborted socket: closing the reading side ends a read blocked in another thread.
            return new FilterInputStream(new PipedInputStream(out, 65536)) {
                @Override
                public void close() throws IOException {
                    out.close();
                    super.close();
                }
            };
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void start(EventStream.Source source) {
        EventStream.Listener listener = new EventStream.Listener() {
            @Override
            public void connected() {
                record("connected");
            }

            @Override
            public void event(EngineEvent event) {
                record(event.type() + " " + event.action() + " " + event.name());
            }

            @Override
            public void disconnected() {
                record("disconnected");
            }
        };
        stream = new EventStream(source, listener, new Backoff(Duration.ofMillis(10), Duration.ofMillis(50)),
                new ObjectMapper(), Clock.systemUTC());
        stream.start();
    }

    private void record(String what) {
        heard.add(what);
        heardQueue.add(what);
    }

    private String next() throws InterruptedException {
        String value = heardQueue.poll(5, TimeUnit.SECONDS);
        assertNotNull(value, "nothing heard; so far " + heard);
        return value;
    }

    private static void send(PipedOutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String event(String type, String action, String id, String name) {
        return "{\"Type\":\"" + type + "\",\"Action\":\"" + action + "\",\"Actor\":{\"ID\":\"" + id
                + "\",\"Attributes\":{\"name\":\"" + name + "\"}},\"scope\":\"swarm\",\"time\":1,\"timeNano\":1000000001}\n";
    }

    @Test
    void resyncsAfterEveryConnectBeforeTheFirstEventAndReconnectsWhenTheStreamEnds() throws Exception {
        start(this::connection);
        PipedOutputStream first = connections.poll(5, TimeUnit.SECONDS);
        assertEquals("connected", next());
        // Two events in one write, the second split over two writes: objects are parsed as they come.
        send(first, event("service", "update", "s1", "ev_app") + event("network", "remove", "n1", "ev_net").substring(0, 20));
        assertEquals("service update ev_app", next());
        send(first, event("network", "remove", "n1", "ev_net").substring(20));
        assertEquals("network remove ev_net", next());
        assertTrue(stream.status().connected());
        assertEquals(2, stream.status().events());

        first.close(); // the engine ended the stream
        assertEquals("disconnected", next(), "the listener knows events may be missed from now on");
        PipedOutputStream second = connections.poll(5, TimeUnit.SECONDS);
        assertNotNull(second, "no reconnect");
        assertEquals("connected", next());
        send(second, event("config", "create", "c1", "ev_note"));
        assertEquals("config create ev_note", next());
        assertEquals(1, stream.status().reconnects());
    }

    @Test
    void failedConnectsAreRetriedAndReconnectDropsTheConnection() throws Exception {
        int[] attempts = {0};
        start(() -> {
            if (attempts[0]++ < 3) {
                throw new EngineException(0, "GET /events: engine did not answer: refused", null);
            }
            return connection();
        });
        assertNotNull(connections.poll(5, TimeUnit.SECONDS));
        assertEquals(List.of("disconnected", "disconnected", "disconnected", "connected"),
                List.of(next(), next(), next(), next()), "a connect that failed is a drop too");
        assertTrue(stream.status().connected());

        stream.reconnect();
        assertNotNull(connections.poll(5, TimeUnit.SECONDS), "reconnect() did not connect again");
        assertEquals("disconnected", next());
        assertEquals("connected", next());
    }

    @Test
    void aFailingListenerDropsTheConnectionSoNothingIsSilentlyLost() throws Exception {
        EventStream.Listener listener = new EventStream.Listener() {
            @Override
            public void connected() {
                record("connected");
            }

            @Override
            public void event(EngineEvent event) {
                throw new EngineException(0, "lookup failed", null);
            }
        };
        stream = new EventStream(this::connection, listener, new Backoff(Duration.ofMillis(10), Duration.ofMillis(50)),
                new ObjectMapper(), Clock.systemUTC());
        stream.start();
        PipedOutputStream first = connections.poll(5, TimeUnit.SECONDS);
        assertEquals("connected", next());
        send(first, event("service", "update", "s1", "ev_app"));
        assertEquals("connected", next()); // reconnected, so resynced
    }

    @Test
    void closeEndsTheThread() throws Exception {
        start(this::connection);
        connections.poll(5, TimeUnit.SECONDS);
        assertEquals("connected", next());
        List<Thread> readers = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("engine-events")).toList();
        assertFalse(readers.isEmpty());
        stream.close();
        for (Thread reader : readers) {
            reader.join(TimeUnit.SECONDS.toMillis(5)); // waits for the end, a bound only for a hopeless wait
            assertFalse(reader.isAlive());
        }
    }
}
