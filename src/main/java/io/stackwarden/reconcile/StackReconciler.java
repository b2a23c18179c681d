package io.stackwarden.reconcile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwarden.swarm.EngineException;
import io.stackwarden.swarm.NetworkNotFound;
import io.stackwarden.swarm.SwarmEngine;
import io.stackwarden.swarm.SwarmObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Makes one stack in the swarm equal to its target state. Idempotent: run twice on an unchanged
 * stack, the second run reads and writes nothing. Only objects carrying Stackwarden's ownership
 * label are ever removed, and a stack that someone else deployed is left alone unless adopted.
 */
public final class StackReconciler {

    private static final Logger LOG = Logger.getLogger(StackReconciler.class.getName());
    private static final int UPDATE_ATTEMPTS = 4;
    private static final List<SwarmObject.Kind> KINDS = List.of(
            SwarmObject.Kind.NETWORK, SwarmObject.Kind.SECRET, SwarmObject.Kind.CONFIG, SwarmObject.Kind.SERVICE);

    /** How long a new network may take to show, and a removed one to go, before the pass gives up and retries. */
    private static final Duration NETWORK_SETTLE = Duration.ofSeconds(20);
    /** How long a network Stackwarden removed is remembered, to recognise it while the manager still lists it. */
    private static final Duration REMEMBER_REMOVED = Duration.ofMinutes(10);

    private final SwarmEngine engine;
    private final StackPlanner planner;
    private final int keepVersions;
    /** Networks this reconciler removed (or found refused as not found) that the manager may still list, by ID. */
    private final Map<String, Removed> removedNetworks = new ConcurrentHashMap<>();

    /** @param at when, as {@link System#nanoTime()} */
    private record Removed(String stack, String name, long at) {
    }

    /** @param keepVersions old versions of each config and secret kept for rollback ({@link OldVersions}) */
    public StackReconciler(SwarmEngine engine, StackPlanner planner, int keepVersions) {
        if (keepVersions < 0) {
            throw new IllegalArgumentException("keepVersions must not be negative: " + keepVersions);
        }
        this.engine = engine;
        this.planner = planner;
        this.keepVersions = keepVersions;
    }

    /**
     * Per-stack settings that shape the reconcile.
     *
     * @param ignore service fields whose live value is kept (see {@link IgnoredFields})
     */
    public record Settings(ResolveImage resolveImage, boolean prune, boolean adopt, Set<String> ignore) {
        public Settings(ResolveImage resolveImage, boolean prune, boolean adopt) {
            this(resolveImage, prune, adopt, Set.of());
        }

        public static Settings defaults() {
            return new Settings(ResolveImage.ALWAYS, true, false);
        }

        StackPlanner.Options options(boolean prune) {
            return new StackPlanner.Options(resolveImage, prune, ignore);
        }
    }

    /** What a reconcile would write now, without writing (for diffs and for stacks that must not self-heal). */
    public List<Action> preview(TargetState target, Settings settings) {
        List<SwarmObject> live = withoutRemovedNetworks(target.stack(), liveObjects(target.stack()));
        Map<String, String> ids = idsOf(live);
        TargetState owned = withReferenceIds(Ownership.labelled(target), ids);
        return planner.plan(owned, live, settings.options(settings.prune()));
    }

    public ReconcileResult reconcile(TargetState target, Settings settings) {
        List<Action> done = new ArrayList<>();
        try {
            List<SwarmObject> live = withoutRemovedNetworks(target.stack(), liveObjects(target.stack()));
            Optional<String> foreign = foreignObjects(live, settings);
            if (foreign.isPresent()) {
                return ReconcileResult.terminal(foreign.get(), done);
            }
            for (TargetState.External external : target.externals()) {
                if (engine.find(external.kind(), external.name()).isEmpty()) {
                    return ReconcileResult.terminal(external.kind() + " \"" + external.name()
                            + "\" is declared as external, but could not be found", done);
                }
            }
            TargetState owned = Ownership.labelled(target);
            StackPlanner.Options keep = settings.options(false);
            Map<String, String> ids = idsOf(live);
            // Networks, secrets and configs first: services refer to them, configs and secrets by ID.
            for (Action action : planner.plan(owned, live, keep, EnumSet.of(SwarmObject.Kind.NETWORK,
                    SwarmObject.Kind.SECRET, SwarmObject.Kind.CONFIG))) {
                done.add(apply(action, owned, settings, ids));
            }
            TargetState services = withReferenceIds(owned, ids);
            for (Action action : planner.plan(services, live, keep, EnumSet.of(SwarmObject.Kind.SERVICE))) {
                done.add(apply(action, services, settings, ids));
            }
            if (settings.prune()) {
                // Removals last, services before what they used.
                for (Action action : planner.plan(owned, live, settings.options(true),
                        EnumSet.noneOf(SwarmObject.Kind.class))) {
                    done.add(apply(action, owned, settings, ids));
                }
            }
            collectOldVersions(owned, live).forEach(done::add);
            return new ReconcileResult(done.isEmpty() ? ReconcileResult.Outcome.IN_SYNC : ReconcileResult.Outcome.APPLIED,
                    List.copyOf(done), done.isEmpty() ? "in sync" : done.size() + " write(s)");
        } catch (EngineException e) {
            String message = "stack " + target.stack() + ": " + e.getMessage();
            return transientStatus(e) ? ReconcileResult.transientFailure(message, done) : ReconcileResult.terminal(message, done);
        }
    }

    /**
     * Removes old versions of configs and secrets beyond the newest {@code keepVersions} of each key that no
     * service (of any stack) refers to, now that the services were pointed at the current ones. Runs whatever
     * the prune setting: the old versions are Stackwarden's own leftovers, not objects that left the files.
     * One the engine still finds in use (someone started using it in between) is left for a later pass.
     */
    private List<Action> collectOldVersions(TargetState target, List<SwarmObject> live) {
        List<SwarmObject> beyond = OldVersions.beyond(target, live, keepVersions);
        if (beyond.isEmpty()) {
            return List.of();
        }
        Set<String> inUse = OldVersions.referenced(engine.list(SwarmObject.Kind.SERVICE));
        List<Action> removed = new ArrayList<>();
        for (SwarmObject old : beyond) {
            if (inUse.contains(old.id())) {
                LOG.fine(() -> "stack " + target.stack() + ": old " + old.kind() + " " + old.name() + " kept: a service refers to it");
                continue;
            }
            Action action = Action.remove(old);
            LOG.info(() -> "stack " + target.stack() + ": " + action + " (old version)");
            try {
                engine.remove(old.kind(), old.id());
                removed.add(action);
            } catch (EngineException e) {
                if (!inUse(e)) {
                    throw e;
                }
                LOG.info(() -> "stack " + target.stack() + ": old " + old.kind() + " " + old.name()
                        + " still in use, removed on a later pass: " + e.getMessage());
            }
        }
        return removed;
    }

    /** The engine refuses to remove a secret or config that a service's spec refers to. */
    private static boolean inUse(EngineException e) {
        return e.getMessage() != null && e.getMessage().contains("is in use by");
    }

    private List<SwarmObject> liveObjects(String stack) {
        List<SwarmObject> live = new ArrayList<>();
        for (SwarmObject.Kind kind : KINDS) {
            live.addAll(engine.list(kind, Ownership.NAMESPACE, stack));
        }
        return live;
    }

    /**
     * The live objects without the networks this reconciler removed: the manager's engine keeps listing (and
     * answering for) a removed overlay network while its local copy lingers, some seconds after tasks used it.
     * A service created against that ID is refused ("network ... not found"), so such a network counts as absent;
     * it is created anew once the old one is gone ({@link #awaitGone}).
     */
    private List<SwarmObject> withoutRemovedNetworks(String stack, List<SwarmObject> live) {
        long now = System.nanoTime();
        Set<String> listed = new java.util.HashSet<>();
        live.forEach(object -> listed.add(object.id()));
        // Forget those no longer listed (gone for good) and, as a bound, those removed long ago.
        removedNetworks.entrySet().removeIf(entry -> entry.getValue().stack().equals(stack) && !listed.contains(entry.getKey())
                || now - entry.getValue().at() > REMEMBER_REMOVED.toNanos());
        return live.stream().filter(o -> o.kind() != SwarmObject.Kind.NETWORK || !removedNetworks.containsKey(o.id()))
                .toList();
    }

    private static Optional<String> foreignObjects(List<SwarmObject> live, Settings settings) {
        if (settings.adopt()) {
            return Optional.empty();
        }
        List<String> foreign = live.stream().filter(o -> !Ownership.owned(o.labels()))
                .map(o -> o.kind() + " " + o.name()).sorted().toList();
        return foreign.isEmpty() ? Optional.empty() : Optional.of("the stack has objects Stackwarden did not create "
                + foreign + " (deployed by docker stack deploy?); set adopt: true for this stack to take them over");
    }

    /** IDs of the live objects by {@code kind/name}; writes of this pass add theirs. */
    private static Map<String, String> idsOf(List<SwarmObject> live) {
        Map<String, String> ids = new HashMap<>();
        live.forEach(object -> ids.put(object.kind() + "/" + object.name(), object.id()));
        return ids;
    }

    /** Service specs with the IDs of the secrets and configs they use (external ones looked up by name). */
    private TargetState withReferenceIds(TargetState target, Map<String, String> ids) {
        List<DesiredObject> objects = new ArrayList<>();
        for (DesiredObject object : target.objects()) {
            objects.add(object.kind() != SwarmObject.Kind.SERVICE ? object : new DesiredObject(object.kind(), object.name(),
                    ObjectReferences.withIds(object.spec(), (kind, name) -> Optional.ofNullable(ids.computeIfAbsent(
                            kind + "/" + name, key -> engine.find(kind, name).map(SwarmObject::id).orElse(null))))));
        }
        return new TargetState(target.stack(), target.revision(), objects, target.externals());
    }

    private Action apply(Action action, TargetState target, Settings settings, Map<String, String> ids) {
        LOG.info(() -> "stack " + target.stack() + ": " + action);
        switch (action.type()) {
            case CREATE -> {
                if (action.kind() == SwarmObject.Kind.NETWORK) {
                    awaitGone(target.stack(), action.name());
                }
                String id = createChecked(action, target.stack());
                ids.put(action.kind() + "/" + action.name(), id);
                if (action.kind() == SwarmObject.Kind.NETWORK) {
                    confirmPresent(action.name(), id);
                }
                return action;
            }
            case UPDATE -> {
                return update(action, target, settings);
            }
            case REMOVE -> {
                String id = action.live().orElseThrow().id();
                try {
                    engine.remove(action.kind(), id);
                    if (action.kind() == SwarmObject.Kind.NETWORK) {
                        removedNetworks.put(id, new Removed(target.stack(), action.name(), System.nanoTime()));
                    }
                } catch (EngineException e) {
                    if (action.kind() != SwarmObject.Kind.NETWORK || e.isUnreachable()) {
                        throw e;
                    }
                    // Tasks of just-removed services may still hold the network: try again later.
                    throw new EngineException(503, "network " + action.name() + " not removed yet: " + e.getMessage(), e);
                }
                return action;
            }
            default -> throw new IllegalStateException(action.type().name());
        }
    }

    /**
     * Services use their networks at once: make sure the engine answers for the new network's ID (not merely for
     * its name, which a lingering removed network may still carry) before any service is written.
     */
    private void confirmPresent(String name, String id) {
        long deadline = System.nanoTime() + NETWORK_SETTLE.toNanos();
        while (engine.inspect(SwarmObject.Kind.NETWORK, id).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new EngineException(503, "network " + name + " (" + id + ") was created but the engine does not"
                        + " show it yet", null);
            }
            sleep(100);
        }
    }

    /**
     * Before a network is created again under the name of one this reconciler removed, waits until the engine no
     * longer answers for the removed one: while it lingers on the manager, tasks placed there could not get the
     * new network of the same name.
     */
    private void awaitGone(String stack, String name) {
        List<String> lingering = removedNetworks.entrySet().stream()
                .filter(entry -> entry.getValue().stack().equals(stack) && entry.getValue().name().equals(name))
                .map(Map.Entry::getKey).toList();
        long deadline = System.nanoTime() + NETWORK_SETTLE.toNanos();
        for (String id : lingering) {
            while (engine.inspect(SwarmObject.Kind.NETWORK, id).isPresent()) {
                if (System.nanoTime() > deadline) {
                    throw new EngineException(503, "network " + name + ": the removed one (" + id
                            + ") is still shown by the manager; retrying later", null);
                }
                sleep(200);
            }
        }
    }

    /** Creates the object; see {@link #networkNotFound} for a service whose network the engine does not find. */
    private String createChecked(Action action, String stack) {
        try {
            return engine.create(action.kind(), action.spec().orElseThrow());
        } catch (EngineException e) {
            throw networkNotFound(action, stack, e);
        }
    }

    /**
     * A service refused because a network it names is not found: the manager listed a network that someone else
     * removed. That network counts as removed from now on, so a later pass (the failure is transient) creates it
     * anew once the engine no longer shows the old one.
     */
    private EngineException networkNotFound(Action action, String stack, EngineException e) {
        if (action.kind() != SwarmObject.Kind.SERVICE || !e.isGone() || !NetworkNotFound.in(e.getMessage())) {
            return e;
        }
        for (var attachment : action.spec().orElseThrow().at("/TaskTemplate/Networks")) {
            String target = attachment.path("Target").asText();
            if (!target.isEmpty() && e.getMessage().contains(target)) {
                engine.inspect(SwarmObject.Kind.NETWORK, target).ifPresent(stale -> removedNetworks.put(target,
                        new Removed(stack, stale.name(), System.nanoTime())));
            }
        }
        return new EngineException(503, "service " + action.name() + ": " + e.getMessage()
                + " (a network still settling; retrying)", e);
    }

    /** Updates with the current version; on "update out of sequence" reads the object again and replans it. */
    private Action update(Action action, TargetState target, Settings settings) {
        Action current = action;
        for (int attempt = 1; ; attempt++) {
            SwarmObject live = current.live().orElseThrow();
            try {
                engine.update(current.kind(), live.id(), live.version(), current.spec().orElseThrow());
                return current;
            } catch (EngineException e) {
                if (!outOfSequence(e) || attempt >= UPDATE_ATTEMPTS) {
                    throw networkNotFound(current, target.stack(), e);
                }
                Optional<SwarmObject> fresh = engine.find(current.kind(), current.name());
                DesiredObject desired = target.objects().stream()
                        .filter(o -> o.kind() == action.kind() && o.name().equals(action.name())).findFirst().orElseThrow();
                Optional<Action> replanned = fresh.isEmpty() ? Optional.empty() : planner.plan(
                        new TargetState(target.stack(), target.revision(), List.of(desired), List.of()),
                        List.of(fresh.get()), settings.options(false)).stream().findFirst();
                if (replanned.isEmpty()) {
                    return current; // someone else already wrote what we wanted
                }
                current = replanned.get();
            }
        }
    }

    private static boolean outOfSequence(EngineException e) {
        return e.getMessage() != null && e.getMessage().contains("update out of sequence");
    }

    /** Unreachable, busy or out-of-sequence engines may succeed later; a refused spec will not. */
    private static boolean transientStatus(EngineException e) {
        return e.isUnreachable() || e.status() >= 500 && !e.getMessage().contains("InvalidArgument") || outOfSequence(e);
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
