package io.stackwarden.loop;

import io.stackwarden.support.Backoff;
import io.stackwarden.support.Scheduler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One queue keyed by stack (java-operator-sdk style). Requests for the same stack merge; a stack is
 * never reconciled twice at the same time; a request that arrives while its stack runs causes exactly
 * one more pass afterwards; different stacks run in parallel up to {@code parallelism}. The result of
 * a pass decides what follows: nothing, a retry with per-stack backoff, or a look again soon. Passes run on
 * the queue's own workers; every delay goes through the {@link Scheduler}, so tests move time by hand.
 */
public final class WorkQueue implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(WorkQueue.class.getName());

    private final StackWorker worker;
    private final int capacity;
    private final Backoff backoff;
    private final Duration convergeDelay;
    private final ExecutorService workers;
    private final Scheduler scheduler;
    private volatile boolean closed;
    private final Map<String, StackState> stacks = new HashMap<>();
    private final AtomicInteger passes = new AtomicInteger();

    /** Per-stack bookkeeping, guarded by the queue's monitor. */
    private static final class StackState {
        final Set<Trigger> triggers = EnumSet.noneOf(Trigger.class);
        final List<Ticket> tickets = new ArrayList<>();
        boolean queued;
        boolean running;
        /** Failed passes in a row: any other result starts the backoff again. */
        int failures;
    }

    public WorkQueue(StackWorker worker, int parallelism, int capacity, Backoff backoff, Duration convergeDelay,
                     Scheduler scheduler) {
        this.worker = worker;
        this.capacity = capacity;
        this.backoff = backoff;
        this.convergeDelay = convergeDelay;
        AtomicInteger count = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(parallelism, runnable -> {
            Thread thread = new Thread(runnable, "reconcile-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.scheduler = scheduler;
    }

    /** Queues a pass of {@code stack}; empty when the queue is full (the caller answers 503). */
    public Optional<Ticket> enqueue(String stack, Trigger trigger) {
        return enqueue(stack, EnumSet.of(trigger));
    }

    /**
     * Queues a pass for a trigger nobody waits on (an engine event, a source change): when the queue is full
     * the request is dropped with a warning, and the next resync covers it.
     */
    public void offer(String stack, Trigger trigger) {
        if (enqueue(stack, trigger).isEmpty()) {
            LOG.warning(() -> "queue full: " + trigger + " for stack " + stack + " dropped (the next resync covers it)");
        }
    }

    /** Queues one pass of {@code stack} for all {@code triggers} at once. */
    private synchronized Optional<Ticket> enqueue(String stack, Set<Trigger> triggers) {
        StackState state = stacks.computeIfAbsent(stack, s -> new StackState());
        boolean merges = state.queued || state.running;
        if (!merges && waiting() >= capacity) {
            return Optional.empty();
        }
        Ticket ticket = new Ticket(UUID.randomUUID().toString(), stack, new java.util.concurrent.CompletableFuture<>());
        state.triggers.addAll(triggers);
        state.tickets.add(ticket);
        if (!state.queued && !state.running) {
            state.queued = true;
            workers.execute(() -> run(stack));
        }
        return Optional.of(ticket);
    }

    /** Queues a pass of {@code stack} after {@code delay} (jittered resyncs). */
    public void enqueueAfter(String stack, Trigger trigger, Duration delay) {
        schedule(stack, EnumSet.of(trigger), delay);
    }

    /** Number of stacks waiting for a worker. */
    public synchronized int waiting() {
        return (int) stacks.values().stream().filter(s -> s.queued).count();
    }

    /** Total passes run since start, for metrics and tests. */
    public int passes() {
        return passes.get();
    }

    private void run(String stack) {
        Set<Trigger> triggers;
        List<Ticket> tickets;
        synchronized (this) {
            StackState state = stacks.get(stack);
            state.queued = false;
            state.running = true;
            triggers = EnumSet.copyOf(state.triggers);
            tickets = new ArrayList<>(state.tickets);
            state.triggers.clear();
            state.tickets.clear();
        }
        passes.incrementAndGet();
        PassResult result = new PassResult(PassResult.Next.RETRY, "internal error");
        try {
            result = worker.reconcile(stack, triggers);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "reconcile of stack " + stack + " failed unexpectedly", e);
            result = new PassResult(PassResult.Next.RETRY, "internal error: " + e);
        } finally {
            // Even an Error must not leave the stack marked running forever, nor its callers waiting.
            PassResult outcome = result;
            LOG.fine(() -> "stack " + stack + ": pass " + triggers + " -> " + outcome.next() + " (" + outcome.message() + ")");
            try {
                finish(stack, outcome, triggers);
            } finally {
                // After finish: whoever waited on the pass sees the queue already acting on its result.
                for (Ticket ticket : tickets) {
                    ticket.outcome().complete(outcome);
                }
            }
        }
    }

    private synchronized void finish(String stack, PassResult result, Set<Trigger> passTriggers) {
        StackState state = stacks.get(stack);
        state.running = false;
        if (result.next() != PassResult.Next.RETRY) {
            state.failures = 0;
        }
        Duration delay = switch (result.next()) {
            case DONE, WAIT_FOR_CHANGE -> null;
            case RETRY -> backoff.delay(state.failures++);
            case CHECK_SOON -> convergeDelay;
        };
        if (result.next() == PassResult.Next.RETRY) {
            // Back off even when requests came in meanwhile (our own writes echo back as events); the retry
            // keeps what the failed pass was asked for, e.g. a manual sync of a stack without self-heal.
            Set<Trigger> retry = EnumSet.copyOf(passTriggers);
            retry.add(Trigger.RETRY);
            schedule(stack, retry, delay);
        } else if (!state.triggers.isEmpty()) {
            state.queued = true; // requests that came in while it ran: exactly one more pass
            workers.execute(() -> run(stack));
        } else if (delay != null) {
            schedule(stack, EnumSet.of(Trigger.CONVERGING), delay);
        }
        if (!state.running && !state.queued && state.failures == 0 && delay == null) {
            stacks.remove(stack);
        }
    }

    private void schedule(String stack, Set<Trigger> triggers, Duration delay) {
        if (closed) {
            return;
        }
        scheduler.schedule(() -> {
            if (!closed && enqueue(stack, triggers).isEmpty()) {
                LOG.warning(() -> "queue full: the " + triggers + " pass of stack " + stack + " was dropped");
            }
        }, delay);
    }

    /** Stops the workers; passes scheduled for later are not queued any more. */
    @Override
    public void close() {
        closed = true;
        workers.shutdownNow();
    }
}
