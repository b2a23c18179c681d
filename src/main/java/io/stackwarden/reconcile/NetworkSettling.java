package io.stackwarden.reconcile;

import io.stackwarden.swarm.EngineException;
import io.stackwarden.swarm.NetworkNotFound;
import io.stackwarden.swarm.SwarmEngine;
import io.stackwarden.swarm.SwarmObject;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The manager's lag around overlay networks, as the reconciler must respect it: a new network is confirmed by its
 * ID before services use it, and a removed one that the manager still lists (its local copy lingers for some
 * seconds after tasks used it) counts as absent and is awaited gone before one of the same name is created.
 *
 * <p>The waits block the stack's pass (one of {@code stackwarden.reconcile.parallelism} workers) for at most
 * {@link #SETTLE} each: a new network shows at once in practice, and only a stack applied again right after its
 * removal waits for the old network, a few seconds. Shorter waits would turn that into a retry with backoff.
 *
 * <p>The memory of removed networks is shared by all stacks (network IDs are unique), forgotten per stack once
 * the network is no longer listed and, as a bound, after {@link #REMEMBER} whatever happens: it only ever holds
 * the networks removed in the last minutes.
 */
final class NetworkSettling {

    /** How long a new network may take to show, and a removed one to go, before the pass gives up and retries. */
    static final Duration SETTLE = Duration.ofSeconds(20);
    /** How long a network Stackwarden removed is remembered, to recognise it while the manager still lists it. */
    static final Duration REMEMBER = Duration.ofMinutes(10);

    private final SwarmEngine engine;
    private final LongSupplier nanoTime;
    /** Networks removed (or found refused as not found) that the manager may still list, by ID. */
    private final Map<String, Removed> removed = new ConcurrentHashMap<>();

    /** @param at when, as {@link System#nanoTime()} */
    private record Removed(String stack, String name, long at) {
    }

    NetworkSettling(SwarmEngine engine) {
        this(engine, System::nanoTime);
    }

    /** @param nanoTime the clock, as {@link System#nanoTime()} */
    NetworkSettling(SwarmEngine engine, LongSupplier nanoTime) {
        this.engine = engine;
        this.nanoTime = nanoTime;
    }

    /** How many removed networks are remembered now (all stacks). */
    int remembered() {
        return removed.size();
    }

    /**
     * The live objects without the networks removed a moment ago: a service created against such an ID is refused
     * ("network ... not found"), so it counts as absent; it is created anew once the old one is gone
     * ({@link #awaitGone}).
     */
    List<SwarmObject> withoutRemoved(String stack, List<SwarmObject> live) {
        long now = nanoTime.getAsLong();
        Set<String> listed = new HashSet<>();
        live.forEach(object -> listed.add(object.id()));
        // Forget those no longer listed (gone for good) and, as a bound, those removed long ago.
        removed.entrySet().removeIf(entry -> entry.getValue().stack().equals(stack) && !listed.contains(entry.getKey())
                || now - entry.getValue().at() > REMEMBER.toNanos());
        return live.stream().filter(o -> o.kind() != SwarmObject.Kind.NETWORK || !removed.containsKey(o.id())).toList();
    }

    /** The network was removed by this pass. */
    void removed(String stack, String name, String id) {
        removed.put(id, new Removed(stack, name, nanoTime.getAsLong()));
    }

    /**
     * Services use their networks at once: make sure the engine answers for the new network's ID (not merely for
     * its name, which a lingering removed network may still carry) before any service is written.
     */
    void confirmPresent(String name, String id) {
        long deadline = nanoTime.getAsLong() + SETTLE.toNanos();
        while (engine.inspect(SwarmObject.Kind.NETWORK, id).isEmpty()) {
            if (nanoTime.getAsLong() > deadline) {
                throw new RetryLater("network " + name + " (" + id + ") was created but the engine does not"
                        + " show it yet", null);
            }
            sleep(100);
        }
    }

    /**
     * Before a network is created again under the name of one removed a moment ago, waits until the engine no
     * longer answers for the removed one: while it lingers on the manager, tasks placed there could not get the
     * new network of the same name.
     */
    void awaitGone(String stack, String name) {
        List<String> lingering = removed.entrySet().stream()
                .filter(entry -> entry.getValue().stack().equals(stack) && entry.getValue().name().equals(name))
                .map(Map.Entry::getKey).toList();
        long deadline = nanoTime.getAsLong() + SETTLE.toNanos();
        for (String id : lingering) {
            while (engine.inspect(SwarmObject.Kind.NETWORK, id).isPresent()) {
                if (nanoTime.getAsLong() > deadline) {
                    throw new RetryLater("network " + name + ": the removed one (" + id
                            + ") is still shown by the manager; retrying later", null);
                }
                sleep(200);
            }
        }
    }

    /**
     * What a refused write of {@code action} means. A service refused because a network it names is not found:
     * the manager listed a network that someone else removed. That network counts as removed from now on, so a
     * later pass (the failure is made transient) creates it anew once the engine no longer shows the old one.
     * Any other refusal is returned as it is.
     */
    RuntimeException refused(Action action, String stack, EngineException e) {
        if (action.kind() != SwarmObject.Kind.SERVICE || !e.isGone() || !NetworkNotFound.in(e.getMessage())) {
            return e;
        }
        for (var attachment : action.spec().orElseThrow().at("/TaskTemplate/Networks")) {
            String target = attachment.path("Target").asText();
            if (!target.isEmpty() && e.getMessage().contains(target)) {
                engine.inspect(SwarmObject.Kind.NETWORK, target).ifPresent(stale -> removed(stack, stale.name(), target));
            }
        }
        return new RetryLater("service " + action.name() + ": " + e.getMessage()
                + " (a network still settling; retrying)", e);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException(0, "interrupted", e);
        }
    }
}
