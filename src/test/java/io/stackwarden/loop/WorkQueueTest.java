package io.stackwarden.loop;

import io.stackwarden.support.Backoff;
import io.stackwarden.support.ManualScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Passes run on the queue's real workers; time moves only when a test advances the {@link ManualScheduler}.
 * "Nothing else happens" is shown positively: nothing is queued or scheduled once the queue acted on a result.
 */
class WorkQueueTest {

    private static final Duration CONVERGE = Duration.ofMillis(30);

    private final ManualScheduler scheduler = new ManualScheduler();
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
        final CountDownLatch started;
        final Semaphore finished = new Semaphore(0);
        final List<String> passes = new CopyOnWriteArrayList<>();
        final List<Set<Trigger>> triggers = new CopyOnWriteArrayList<>();
        final Map<String, AtomicInteger> concurrent = new ConcurrentHashMap<>();
        final AtomicInteger maxConcurrentSameStack = new AtomicInteger();
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger maxRunning = new AtomicInteger();

        GatedWorker(int starts) {
            started = new CountDownLatch(starts);
        }

        GatedWorker() {
            this(1);
        }

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
            finished.release();
            return PassResult.done("ok");
        }
    }

    /** A worker answering the given results in turn (then done), recording the triggers of every pass. */
    static final class ScriptedWorker implements StackWorker {
        final List<Set<Trigger>> triggers = new CopyOnWriteArrayList<>();
        private final Iterator<PassResult.Next> script;

        ScriptedWorker(PassResult.Next... script) {
            this.script = List.of(script).iterator();
        }

        @Override
        public synchronized PassResult reconcile(String stack, Set<Trigger> trigger) {
            triggers.add(trigger);
            return new PassResult(script.hasNext() ? script.next() : PassResult.Next.DONE, "pass " + triggers.size());
        }
    }

    /** Backoff without jitter: 20, 40, 80 ms. */
    private WorkQueue queue(StackWorker worker, int parallelism, int capacity) {
        queue = new WorkQueue(worker, parallelism, capacity,
                new Backoff(Duration.ofMillis(20), Duration.ofMillis(80), () -> 1.0), CONVERGE, scheduler);
        return queue;
    }

    /** Moves time to each pass scheduled next, {@code count} times; answers the delays it waited. */
    private List<Duration> runScheduled(int count) throws InterruptedException {
        List<Duration> delays = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Duration delay = scheduler.awaitNext();
            delays.add(delay);
            scheduler.advance(delay);
        }
        return delays;
    }

    /**
     * Waits for a pass of a marker stack. With one worker it runs only after the queue finished acting on every
     * pass before it, so what the queue scheduled or queued by then is all it ever will.
     */
    private void awaitMarkerPass() throws Exception {
        queue.enqueue("marker", Trigger.MANUAL).orElseThrow().outcome().get(5, TimeUnit.SECONDS);
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
        GatedWorker worker = new GatedWorker(2);
        WorkQueue queue = queue(worker, 2, 10);
        List<Ticket> tickets = List.of("a", "b", "c", "d").stream()
                .map(stack -> queue.enqueue(stack, Trigger.RESYNC).orElseThrow()).toList();
        assertTrue(worker.started.await(5, TimeUnit.SECONDS));
        assertEquals(2, worker.running.get(), "two workers busy, the other stacks wait");
        assertEquals(2, queue.waiting());
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
        assertEquals(1, queue.waiting());
        worker.release.countDown();
        assertTrue(worker.finished.tryAcquire(2, 5, TimeUnit.SECONDS));
        awaitMarkerPass();
        assertEquals(List.of("running", "a", "marker"), worker.passes);
    }

    @Test
    void transientFailuresRetryWithBackoffUntilSuccess() throws Exception {
        ScriptedWorker worker = new ScriptedWorker(PassResult.Next.RETRY, PassResult.Next.RETRY, PassResult.Next.RETRY);
        WorkQueue queue = queue(worker, 1, 10);
        assertEquals(PassResult.Next.RETRY, queue.enqueue("web", Trigger.MANUAL).orElseThrow().outcome().get(5, TimeUnit.SECONDS).next());
        scheduler.advance(Duration.ofMillis(19));
        assertEquals(List.of(Duration.ofMillis(1)), scheduler.pending(), "no retry before its backoff");
        scheduler.advance(Duration.ofMillis(1));
        assertEquals(List.of(Duration.ofMillis(40), Duration.ofMillis(80)), runScheduled(2), "the backoff doubles");
        awaitMarkerPass();
        assertEquals(5, worker.triggers.size(), "three failures, a success, the marker");
        assertEquals(Set.of(Trigger.MANUAL, Trigger.RETRY), worker.triggers.get(3), "a retry keeps what the failed pass was asked for");
        assertEquals(List.of(), scheduler.pending(), "nothing more after the success");
    }

    @Test
    void aPassThatIsNotAFailureStartsTheBackoffAgain() throws Exception {
        ScriptedWorker worker = new ScriptedWorker(PassResult.Next.RETRY, PassResult.Next.RETRY,
                PassResult.Next.CHECK_SOON, PassResult.Next.RETRY);
        WorkQueue queue = queue(worker, 1, 10);
        queue.enqueue("web", Trigger.MANUAL);
        assertEquals(List.of(Duration.ofMillis(20), Duration.ofMillis(40), CONVERGE, Duration.ofMillis(20)), runScheduled(4),
                "the failure after the converging pass waits the first backoff, not the third");
    }

    @Test
    void terminalFailuresWaitForTheNextTrigger() throws Exception {
        ScriptedWorker worker = new ScriptedWorker(PassResult.Next.WAIT_FOR_CHANGE);
        WorkQueue queue = queue(worker, 1, 10);
        PassResult result = queue.enqueue("web", Trigger.SOURCE_CHANGE).orElseThrow().outcome().get(5, TimeUnit.SECONDS);
        assertEquals(PassResult.Next.WAIT_FOR_CHANGE, result.next());
        assertEquals(List.of(), scheduler.pending(), "no retry scheduled");
        assertEquals(0, queue.waiting(), "no pass queued");
        assertEquals(1, worker.triggers.size());
    }

    @Test
    void convergingStacksAreCheckedAgainSoon() throws Exception {
        ScriptedWorker worker = new ScriptedWorker(PassResult.Next.CHECK_SOON, PassResult.Next.CHECK_SOON);
        WorkQueue queue = queue(worker, 1, 10);
        queue.enqueue("web", Trigger.MANUAL);
        assertEquals(List.of(CONVERGE, CONVERGE), runScheduled(2));
        awaitMarkerPass();
        assertEquals(Set.of(Trigger.CONVERGING), worker.triggers.get(2));
        assertEquals(4, worker.triggers.size(), "three passes of the stack, then the marker");
        assertEquals(List.of(), scheduler.pending(), "no further look once it converged");
    }

    @Test
    void aDelayedRequestWaitsForItsTime() throws Exception {
        ScriptedWorker worker = new ScriptedWorker();
        WorkQueue queue = queue(worker, 1, 10);
        queue.enqueueAfter("web", Trigger.RESYNC, Duration.ofMinutes(3));
        assertEquals(List.of(Duration.ofMinutes(3)), scheduler.pending());
        assertEquals(0, queue.waiting());
        scheduler.advance(Duration.ofMinutes(3));
        awaitMarkerPass();
        assertEquals(List.of(Set.of(Trigger.RESYNC), Set.of(Trigger.MANUAL)), worker.triggers);
    }

    @Test
    void aClosedQueueQueuesNoScheduledPass() throws Exception {
        ScriptedWorker worker = new ScriptedWorker(PassResult.Next.RETRY);
        WorkQueue queue = queue(worker, 1, 10);
        queue.enqueue("web", Trigger.MANUAL).orElseThrow().outcome().get(5, TimeUnit.SECONDS);
        queue.close();
        scheduler.advance(Duration.ofMinutes(1)); // the retry falls due: it must not reach the stopped workers
        assertEquals(List.of(), scheduler.pending());
        assertEquals(1, worker.triggers.size());
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
