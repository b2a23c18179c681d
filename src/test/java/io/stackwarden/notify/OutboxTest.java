package io.stackwarden.notify;

import io.stackwarden.support.Await;
import io.stackwarden.support.Backoff;
import io.stackwarden.support.ManualScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sending apart from the passes: retries on the scheduler with backoff, giving up, dropping when full, counted. */
class OutboxTest {

    private static final Notice NOTICE = Notice.of(NoticeKind.SYNC, "shop", "OutOfSync", Notice.Level.WARNING, "",
            "stack shop is OutOfSync", "", Instant.parse("2026-01-01T10:00:00Z"));

    private final ManualScheduler scheduler = new ManualScheduler();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private Outbox outbox;

    private Outbox outbox(int capacity, int maxAttempts) {
        // Backoff at its full ceiling (random 1.0): 1 s, 2 s, 4 s, 8 s.
        outbox = new Outbox(capacity, maxAttempts, new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8), () -> 1.0),
                scheduler, (sink, outcome) -> counts.computeIfAbsent(sink + ":" + outcome.word(), k -> new AtomicInteger())
                .incrementAndGet());
        outbox.start();
        return outbox;
    }

    @AfterEach
    void close() {
        outbox.close();
    }

    private int count(String key) {
        AtomicInteger count = counts.get(key);
        return count == null ? 0 : count.get();
    }

    private static Channel channel(String name, Sink sink) {
        return new Channel(name, sink, new SinkFilter(EnumSet.allOf(NoticeKind.class), Set.of()), new Dedupe(Duration.ZERO));
    }

    /** Fails retryably {@code failures} times, then takes the notice. */
    private static final class Flaky implements Sink {
        final AtomicInteger attempts = new AtomicInteger();
        final int failures;
        final boolean retryable;

        Flaky(int failures, boolean retryable) {
            this.failures = failures;
            this.retryable = retryable;
        }

        @Override
        public void deliver(Notice notice) throws DeliveryFailure {
            if (attempts.incrementAndGet() <= failures) {
                throw new DeliveryFailure("answered HTTP 503", retryable);
            }
        }
    }

    @Test
    void aBusyReceiverIsRetriedAfterAGrowingBackoffUntilItTakesTheNotice() throws Exception {
        outbox(10, 5);
        Flaky sink = new Flaky(3, true);
        outbox.offer(channel("chat", sink), NOTICE);

        for (Duration expected : List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4))) {
            assertEquals(expected, scheduler.awaitNext());
            scheduler.advance(expected);
        }
        Await.until("sent", Duration.ofSeconds(10), () -> count("chat:sent") == 1);
        assertEquals(4, sink.attempts.get());
        assertEquals(3, count("chat:retried"));
        assertEquals(0, count("chat:failed"));
    }

    @Test
    void afterMaxAttemptsItGivesUpAndARefusalIsNotRetriedAtAll() throws Exception {
        outbox(10, 3);
        Flaky busy = new Flaky(100, true);
        Flaky refusing = new Flaky(100, false);
        outbox.offer(channel("busy", busy), NOTICE);
        outbox.offer(channel("refusing", refusing), NOTICE);

        scheduler.advance(scheduler.awaitNext());
        scheduler.advance(scheduler.awaitNext());
        Await.until("given up", Duration.ofSeconds(10), () -> count("busy:failed") == 1 && count("refusing:failed") == 1);
        assertEquals(3, busy.attempts.get());
        assertEquals(2, count("busy:retried"));
        assertEquals(1, refusing.attempts.get());
        assertEquals(0, count("refusing:retried"));
        assertEquals(List.of(), scheduler.pending());
    }

    @Test
    void aFullQueueDropsAndCountsInsteadOfWaiting() throws Exception {
        outbox(1, 1);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Notice> delivered = new CopyOnWriteArrayList<>();
        Sink slow = notice -> {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            delivered.add(notice);
        };
        Channel channel = channel("slow", slow);
        outbox.offer(channel, NOTICE);
        assertTrue(entered.await(10, java.util.concurrent.TimeUnit.SECONDS)); // the worker is busy with the first
        outbox.offer(channel, NOTICE);  // waits in the queue
        outbox.offer(channel, NOTICE);  // no room: dropped at once
        assertEquals(1, count("slow:dropped"));

        release.countDown();
        Await.until("both sent", Duration.ofSeconds(10), () -> count("slow:sent") == 2);
        assertEquals(2, delivered.size());
    }

    @Test
    void aSinkThatThrowsDoesNotStopTheOthers() {
        outbox(10, 3);
        Sink broken = notice -> {
            throw new IllegalStateException("bug");
        };
        Flaky fine = new Flaky(0, true);
        outbox.offer(channel("broken", broken), NOTICE);
        outbox.offer(channel("fine", fine), NOTICE);
        Await.until("the fine one sent", Duration.ofSeconds(10), () -> count("fine:sent") == 1);
        assertEquals(1, count("broken:failed"));
    }

    @Test
    void aRealReceiverAnswering503GetsTheStatusOnTheRetry() throws Exception {
        outbox(10, 5);
        try (RecordingServer server = new RecordingServer().answering(503)) {
            SinkSettings settings = new SinkSettings("ops", "webhook", Optional.of(server.uri("/hook").toString()),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), List.of(), List.of(),
                    Duration.ZERO, "stackwarden/{stack}", Optional.empty());
            outbox.offer(settings.channel(new HttpPoster(Duration.ofSeconds(10))), NOTICE);

            assertEquals(Duration.ofSeconds(1), scheduler.awaitNext());
            scheduler.advance(Duration.ofSeconds(1));
            Await.until("sent", Duration.ofSeconds(10), () -> count("ops:sent") == 1);
            assertEquals(2, server.requests().size());
            assertEquals(server.requests().get(0).json(), server.requests().get(1).json());
        }
    }
}
