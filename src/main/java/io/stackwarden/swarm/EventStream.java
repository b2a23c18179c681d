package io.stackwarden.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackwarden.support.Backoff;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Follows the engine's event stream on its own thread and reconnects with backoff whenever it ends
 * or fails. The engine replays only its last events and sends none for tasks, so the listener hears
 * {@link Listener#connected()} after every (re)connect, before that connection's first event: it
 * must assume it missed everything since the previous connection and resync.
 */
public final class EventStream implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EventStream.class.getName());
    /** Swarm objects and nodes only: local network connects and container events are noise here. */
    static final String FILTERS = "{\"type\":[\"service\",\"network\",\"config\",\"secret\",\"node\"],\"scope\":[\"swarm\"]}";
    /** A connection that lived this long was a good one: the backoff starts afresh after it. */
    private static final Duration STABLE = Duration.ofSeconds(10);

    /** Opens one connection; closing the stream must end a read blocked on it. */
    @FunctionalInterface
    public interface Source {
        InputStream open();
    }

    public interface Listener {
        /** After every (re)connect, before its first event. A failure here drops the connection and retries. */
        void connected();

        /** One event, on the stream's thread. A failure here drops the connection (and so resyncs). */
        void event(EngineEvent event);

        /** After a connection ended (or failed to open): events may be missed from now on until the next {@link #connected()}. */
        default void disconnected() {
        }
    }

    private final Source source;
    private final Listener listener;
    private final Backoff backoff;
    private final ObjectMapper json;
    private final Clock clock;
    private final Semaphore wake = new Semaphore(0);
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();
    private volatile EventStreamStatus status;
    private volatile InputStream current;
    private volatile boolean closed;
    private Thread thread;

    public EventStream(Source source, Listener listener, Backoff backoff, ObjectMapper json, Clock clock) {
        this.source = source;
        this.listener = listener;
        this.backoff = backoff;
        this.json = json;
        this.clock = clock;
        this.status = new EventStreamStatus(false, clock.instant(), Optional.empty(), 0, 0, Optional.of("not started"));
    }

    /** The engine's {@code /events} of swarm objects and nodes. */
    public static Source of(EngineApi api) {
        return () -> api.stream("/events?filters=" + URLEncoder.encode(FILTERS, StandardCharsets.UTF_8));
    }

    public synchronized void start() {
        if (thread == null && !closed) {
            thread = new Thread(this::run, "engine-events");
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** Connections made so far (each one told to the listener). */
    public long connections() {
        return connections.get();
    }

    public EventStreamStatus status() {
        return status;
    }

    /**
     * Drops the current connection, if any, and connects again without waiting out the backoff. For
     * when the engine came back: a connection that outlived an outage may be half-open and silent forever.
     */
    public void reconnect() {
        wake.release();
        InputStream in = current;
        if (in != null) {
            closeQuietly(in);
        }
    }

    private void run() {
        int failures = 0;
        while (!closed) {
            Instant opened = clock.instant();
            String problem;
            try (InputStream in = source.open()) {
                current = in;
                if (closed) {
                    break;
                }
                wake.drainPermits();
                long number = connections.getAndIncrement();
                status = new EventStreamStatus(true, clock.instant(), status.lastEvent(), events.get(), number, Optional.empty());
                LOG.info(number == 0 ? "engine event stream connected"
                        : "engine event stream reconnected: resyncing every stack");
                listener.connected();
                read(in);
                problem = "the engine ended the event stream";
            } catch (IOException | RuntimeException e) {
                problem = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            } finally {
                current = null;
            }
            listener.disconnected();
            if (closed) {
                break;
            }
            if (Duration.between(opened, clock.instant()).compareTo(STABLE) >= 0) {
                failures = 0;
            }
            Duration delay = backoff.delay(failures++);
            status = new EventStreamStatus(false, clock.instant(), status.lastEvent(), events.get(),
                    Math.max(0, connections.get() - 1), Optional.of(problem));
            String message = "engine event stream lost: " + problem + "; reconnecting in " + delay.toMillis() + " ms";
            LOG.log(failures == 1 ? Level.WARNING : Level.FINE, message);
            try {
                wake.tryAcquire(delay.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
    }

    /** Events are JSON objects one after another; each is handled before the next is read. */
    private void read(InputStream in) throws IOException {
        try (MappingIterator<JsonNode> messages = json.readerFor(JsonNode.class).readValues(in)) {
            while (messages.hasNextValue()) {
                EngineEvent event = EngineEvent.of(messages.nextValue());
                events.incrementAndGet();
                EventStreamStatus now = status;
                status = new EventStreamStatus(now.connected(), now.since(), Optional.of(clock.instant()), events.get(),
                        now.reconnects(), now.problem());
                listener.event(event);
            }
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException | RuntimeException ignored) {
            // already broken: that is what we wanted
        }
    }

    @Override
    public void close() {
        closed = true;
        wake.release();
        InputStream in = current;
        if (in != null) {
            closeQuietly(in);
        }
        Thread running;
        synchronized (this) {
            running = thread;
        }
        if (running != null) {
            running.interrupt();
        }
    }
}
