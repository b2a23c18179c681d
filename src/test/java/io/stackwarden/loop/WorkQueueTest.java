package io.stackwarden.loop;

import io.stackwarden.support.Backoff;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkQueueTest {

    private WorkQueue queue;

    @AfterEach
    void close() {
        if (queue != null) {
            queue.close();
        }
    }

    /** A worker that blocks each pass until released, recording overlap per stack. */
    static final class GatedWorker implements StackWorker {
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch started = new CountDownLatch(1);
        final List<String> passes = new CopyOnWriteArrayList<>();
        final List<Set<Trigger>> triggers = new CopyOnWriteArrayList<>();
        final Map<String, AtomicInteger> concurrent = new ConcurrentHashMap<>();
        final AtomicInteger maxConcurrentSameStack = new AtomicInteger();
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger maxRunning = new AtomicInteger();

        @Override
        public PassResult reconcile(String stack, Set<Trigger> trigger) {
            int same = concurrent.computeIfAbsent(stack, s -> new AtomicInteger()).incrementAndGet();
            maxConcurrentSameStack.accumulateAndGet(same, Math::max);
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            passes.add(stack);
            triggers.add(trigger);
            started.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            running.decrementAndGet();
            concurrent.get(stack).decrementAndGet();
            return PassResult.done("ok");
        }
    }

    private WorkQueue queue(StackWorker worker, int parallelism, int capacity) {
        queue = new WorkQueue(worker, parallelism, capacity,
                new Backoff(Duration.ofMillis(20), Duration.ofMillis(80)), Duration.ofMillis(20));
        return queue;
    }

    @Test
    void requestsDuringAPassCauseExactlyOneMorePassNeverAConcurrentOne() throws Exception {
        GatedWorker worker = new GatedWorker();
        WorkQueue queue = queue(worker, 4, 10);
        Ticket first = queue.enqueue("web", Trigger.STARTUP).orElseThrow();
        assertTrue(worker.started.await(5, TimeUnit.SECONDS));
        Ticket second = null;
        for (int i = 0; i < 50; i++) {
            second = queue.enqueue("web", i % 2 == 0 ? Trigger.ENGINE_EVENT : Trigger.MANUAL).orElseThrow();
        }
        worker.release.countDown();
        first.outcome().get(5, TimeUnit.SECONDS);
        second.outcome().get(5, TimeUnit.SECONDS);
        assertEquals(List.of("web", "web"), worker.passes);
        assertEquals(Set.of(Trigger.ENGINE_EVENT, Trigger.MANUAL), worker.triggers.get(1));
        assertEquals(1, worker.maxConcurrentSameStack.get());
    }

    @Test
    void differentStacksRunInParallelUpToTheLimit() throws Exception {
        GatedWorker worker = new GatedWorker();
        WorkQueue queue = queue(worker, 2, 10);
        List<Ticket> tickets = List.of("a", "b", "c", "d").stream()
                .map(stack -> queue.enqueue(stack, Trigger.RESYNC).orElseThrow()).toList();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (worker.running.get() < 2 && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertEquals(2, worker.running.get(), "two workers busy, the other stacks wait");
        worker.release.countDown();
        for (Ticket ticket : tickets) {
            ticket.outcome().get(5, TimeUnit.SECONDS);
        }
        assertEquals(2, worker.maxRunning.get());
        assertEquals(4, worker.passes.size());
    }

    @Test
    void aFullQueueRefusesNewStacksButStillMergesQueuedOnes() throws Exception {
        GatedWorker worker = new GatedWorker();
        WorkQueue queue = queue(worker, 1, 2);
        queue.enqueue("running", Trigger.MANUAL).orElseThrow();
        assertTrue(worker.started.await(5, TimeUnit.SECONDS));
        assertTrue(queue.enqueue("a", Trigger.MANUAL).isPresent());
        assertTrue(queue.enqueue("b", Trigger.MANUAL).isPresent());
        assertTrue(queue.enqueue("c", Trigger.MANUAL).isEmpty());
        assertTrue(queue.enqueue("a", Trigger.RESYNC).isPresent(), "a queued stack still accepts merged requests");
        worker.release.countDown();
    }

    @Test
    void anOfferToAFullQueueIsDroppedWithoutAPass() throws Exception {
        GatedWorker worker = new GatedWorker();
        WorkQueue queue = queue(worker, 1, 1);
        queue.enqueue("running", Trigger.MANUAL).orElseThrow();
        assertTrue(worker.started.await(5, TimeUnit.SECONDS));
        queue.offer("a", Trigger.ENGINE_EVENT);
        queue.offer("b", Trigger.SOURCE_CHANGE); // full: dropped, and the caller goes on
        worker.release.countDown();
        Thread.sleep(300);
        assertEquals(List.of("running", "a"), worker.passes);
    }

    @Test
    void transientFailuresRetryWithBackoffUntilSuccess() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch succeeded = new CountDownLatch(1);
        List<Set<Trigger>> seen = new CopyOnWriteArrayList<>();
        WorkQueue queue = queue((stack, triggers) -> {
            seen.add(triggers);
            if (calls.incrementAndGet() < 4) {
                return new PassResult(PassResult.Next.RETRY, "engine unreachable");
            }
            succeeded.countDown();
            return PassResult.done("ok");
        }, 1, 10);
        queue.enqueue("web", Trigger.MANUAL);
        assertTrue(succeeded.await(5, TimeUnit.SECONDS));
        assertEquals(4, calls.get());
        assertEquals(Set.of(Trigger.MANUAL, Trigger.RETRY), seen.get(3), "a retry keeps what the failed pass was asked for");
    }

    @Test
    void terminalFailuresWaitForTheNextTrigger() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        WorkQueue queue = queue((stack, triggers) -> {
            calls.incrementAndGet();
            return new PassResult(PassResult.Next.WAIT_FOR_CHANGE, "invalid compose file");
        }, 1, 10);
        PassResult result = queue.enqueue("web", Trigger.SOURCE_CHANGE).orElseThrow().outcome().get(5, TimeUnit.SECONDS);
        assertEquals(PassResult.Next.WAIT_FOR_CHANGE, result.next());
        Thread.sleep(300);
        assertEquals(1, calls.get());
    }

    @Test
    void convergingStacksAreCheckedAgainSoon() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch third = new CountDownLatch(3);
        WorkQueue queue = queue((stack, triggers) -> {
            third.countDown();
            return calls.incrementAndGet() < 3 ? new PassResult(PassResult.Next.CHECK_SOON, "2/3 tasks") : PassResult.done("ok");
        }, 1, 10);
        queue.enqueue("web", Trigger.MANUAL);
        assertTrue(third.await(5, TimeUnit.SECONDS));
        Thread.sleep(200);
        assertEquals(3, calls.get());
    }

    @Test
    void aFailingWorkerDoesNotStopTheQueue() throws Exception {
        WorkQueue queue = queue((stack, triggers) -> {
            if (stack.equals("bad")) {
                throw new IllegalStateException("boom");
            }
            return PassResult.done("ok");
        }, 1, 10);
        assertEquals(PassResult.Next.RETRY, queue.enqueue("bad", Trigger.MANUAL).orElseThrow().outcome().get(5, TimeUnit.SECONDS).next());
        assertEquals(PassResult.Next.DONE, queue.enqueue("good", Trigger.MANUAL).orElseThrow().outcome().get(5, TimeUnit.SECONDS).next());
    }
}
