package io.stackwarden.desired.source;

import io.stackwarden.desired.DesiredStack;
import io.stackwarden.support.Backoff;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Scheduling of refreshes: coalesced requests, backoff after failures, the poll interval after success. */
class SourceSyncTest {

    private SourceSync sync;

    @AfterEach
    void close() {
        if (sync != null) {
            sync.close();
        }
    }

    /** An origin whose refreshes are scripted: each blocks until released, then fails or succeeds. */
    static final class ScriptedOrigin implements Origin {
        final AtomicInteger refreshes = new AtomicInteger();
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch firstStarted = new CountDownLatch(1);
        final int failuresFirst;

        ScriptedOrigin(int failuresFirst) {
            this.failuresFirst = failuresFirst;
        }

        @Override
        public String kind() {
            return "git";
        }

        @Override
        public Path root() {
            return Path.of("/nonexistent");
        }

        @Override
        public Optional<String> branch() {
            return Optional.of("main");
        }

        @Override
        public Optional<String> url() {
            return Optional.of("https://git.example.org/stacks.git");
        }

        @Override
        public boolean readable() {
            return refreshes.get() > failuresFirst;
        }

        @Override
        public Refreshed refresh(Lock write) throws SourceException {
            int n = refreshes.incrementAndGet();
            firstStarted.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (n <= failuresFirst) {
                throw new SourceException("remote unreachable (" + n + ")");
            }
            return new Refreshed("git:" + n, ChangedStacks.of(java.util.Set.of("s" + n)), Optional.empty());
        }

        @Override
        public String revision(DesiredStack stack) {
            return "git:" + refreshes.get();
        }
    }

    @Test
    void requestsWhileARefreshRunsCoalesceIntoOneMore() throws Exception {
        ScriptedOrigin origin = new ScriptedOrigin(0);
        List<ChangedStacks> heard = new CopyOnWriteArrayList<>();
        CountDownLatch second = new CountDownLatch(2);
        sync = new SourceSync(origin, Duration.ofHours(1), new Backoff(Duration.ofMillis(10), Duration.ofMillis(20)),
                Clock.systemUTC());
        sync.start(changes -> {
            heard.add(changes);
            second.countDown();
        });
        assertTrue(origin.firstStarted.await(5, TimeUnit.SECONDS));
        for (int i = 0; i < 20; i++) {
            sync.requestRefresh("push " + i);
        }
        origin.release.countDown();
        assertTrue(second.await(5, TimeUnit.SECONDS));
        assertEquals(2, origin.refreshes.get(), "twenty requests during a refresh make one more, the next poll is an hour away");
        assertEquals("git:2", sync.status().revision());
        assertEquals(Optional.of("main"), sync.branch());
    }

    @Test
    void failuresRetryWithBackoffUntilARefreshSucceeds() throws Exception {
        ScriptedOrigin origin = new ScriptedOrigin(3);
        CountDownLatch succeeded = new CountDownLatch(1);
        sync = new SourceSync(origin, Duration.ofHours(1), new Backoff(Duration.ofMillis(10), Duration.ofMillis(20)),
                Clock.systemUTC());
        assertFalse(sync.status().readable(), "a Git source is unreadable before its first checkout");
        origin.release.countDown();
        sync.start(changes -> succeeded.countDown());
        assertTrue(succeeded.await(5, TimeUnit.SECONDS));
        assertEquals(4, origin.refreshes.get());
        assertEquals(3, sync.failures());
        assertEquals(1, sync.successes());
        assertFalse(sync.status().stale());
        assertTrue(sync.status().readable());
    }

    @Test
    void everyRefreshReportsTheStatusItLeft() {
        ScriptedOrigin origin = new ScriptedOrigin(1);
        origin.release.countDown();
        sync = new SourceSync(origin, Duration.ofHours(1), new Backoff(Duration.ofMillis(10), Duration.ofMillis(20)),
                Clock.systemUTC());
        List<SourceStatus> reported = new CopyOnWriteArrayList<>();
        sync.onRefreshed(reported::add);
        assertFalse(sync.refresh());
        assertTrue(sync.refresh());
        assertEquals(2, reported.size());
        assertTrue(reported.get(0).stale());
        assertEquals("remote unreachable (1)", reported.get(0).error());
        assertFalse(reported.get(1).stale());
        assertEquals("git:2", reported.get(1).revision());
    }
}
