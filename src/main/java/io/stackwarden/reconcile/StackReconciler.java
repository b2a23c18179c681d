package io.stackwarden.reconcile;

import io.stackwarden.compose.engine.StackLabels;
import io.stackwarden.desired.ResolveImage;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwarden.swarm.EngineException;
import io.stackwarden.swarm.SwarmEngine;
import io.stackwarden.swarm.ObjectKey;
import io.stackwarden.swarm.SwarmObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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

    private final SwarmEngine engine;
    private final StackPlanner planner;
    private final int keepVersions;
    private final NetworkSettling networks;
    private final PullCredentials pull;

    /** Without registry credentials on service writes. */
    public StackReconciler(SwarmEngine engine, StackPlanner planner, int keepVersions) {
        this(engine, planner, keepVersions, PullCredentials.none());
    }

    /**
     * @param keepVersions old versions of each config and secret kept for rollback ({@link OldVersions})
     * @param pull         the registry credentials sent with service writes
     */
    public StackReconciler(SwarmEngine engine, StackPlanner planner, int keepVersions, PullCredentials pull) {
        if (keepVersions < 0) {
            throw new IllegalArgumentException("keepVersions must not be negative: " + keepVersions);
        }
        this.engine = engine;
        this.planner = planner;
        this.keepVersions = keepVersions;
        this.networks = new NetworkSettling(engine);
        this.pull = pull;
    }

    /**
     * Per-stack settings that shape the reconcile.
     *
     * @param ignore       service fields whose live value is kept (see {@link IgnoredFields})
     * @param newerDigests digests that replaced the pinned ones of these references (engine form) in the registry, for
     *                     a stack that watches its images; their services are pinned to them
     */
    public record Settings(ResolveImage resolveImage, boolean prune, boolean adopt, Set<String> ignore,
                           Map<String, String> newerDigests) {
        public Settings(ResolveImage resolveImage, boolean prune, boolean adopt, Set<String> ignore) {
            this(resolveImage, prune, adopt, ignore, Map.of());
        }

        public Settings(ResolveImage resolveImage, boolean prune, boolean adopt) {
            this(resolveImage, prune, adopt, Set.of());
        }

        public static Settings defaults() {
            return new Settings(ResolveImage.ALWAYS, true, false);
        }

        StackPlanner.Options options(String apiVersion) {
            return new StackPlanner.Options(resolveImage, prune, ignore, newerDigests, apiVersion);
        }
    }

    /**
     * Reads the stack from the swarm and plans the writes, without writing: the diff API shows this plan, and
     * {@link #reconcile} applies the same one.
     */
    public StackPlan plan(TargetState target, Settings settings) {
        List<SwarmObject> live = networks.withoutRemoved(target.stack(), liveObjects(target.stack()));
        TargetState owned = withReferenceIds(Ownership.labelled(target), idsOf(live));
        StackPlanner.Planned planned = planner.plan(owned, live, settings.options(engine.apiVersion()));
        return new StackPlan(owned, live, planned.steps(), planned.refused());
    }

    public ReconcileResult reconcile(TargetState target, Settings settings) {
        List<Action> done = new ArrayList<>();
        try {
            StackPlan plan = plan(target, settings);
            Optional<String> foreign = foreignObjects(plan.live(), settings);
            if (foreign.isPresent()) {
                return ReconcileResult.terminal(foreign.get(), done);
            }
            for (TargetState.External external : target.externals()) {
                if (engine.find(external.kind(), external.name()).isEmpty()) {
                    return ReconcileResult.terminal(external.kind() + " \"" + external.name()
                            + "\" is declared as external, but could not be found", done);
                }
            }
            Map<ObjectKey, String> ids = idsOf(plan.live());
            for (Action step : plan.steps()) {
                done.add(apply(boundToIds(step, ids), plan.target(), settings, ids));
            }
            collectOldVersions(plan.target(), plan.live()).forEach(done::add);
            if (!plan.refused().isEmpty()) {
                // The rest of the stack is written; these services wait for credentials, retried with backoff.
                return ReconcileResult.transientFailure("stack " + target.stack() + ": " + String.join("; ", plan.refused())
                        + (done.isEmpty() ? "" : " (" + done.size() + " other write(s) made)"), done);
            }
            return new ReconcileResult(done.isEmpty() ? ReconcileResult.Outcome.IN_SYNC : ReconcileResult.Outcome.APPLIED,
                    List.copyOf(done), done.isEmpty() ? "in sync" : done.size() + " write(s)");
        } catch (RetryLater e) {
            return ReconcileResult.transientFailure("stack " + target.stack() + ": " + e.getMessage(), done);
        } catch (EngineException e) {
            String message = "stack " + target.stack() + ": " + e.getMessage();
            return e.isTransient() ? ReconcileResult.transientFailure(message, done) : ReconcileResult.terminal(message, done);
        }
    }

    /**
     * A service step with the IDs of the networks, configs and secrets it uses, including those this pass just
     * created (unknown when the plan was made). Planned references to existing objects keep their IDs.
     */
    private static Action boundToIds(Action step, Map<ObjectKey, String> ids) {
        if (step.kind() != SwarmObject.Kind.SERVICE || step.spec().isEmpty()) {
            return step;
        }
        return step.withSpec(ObjectReferences.withIds(step.spec().get(),
                (kind, name) -> Optional.ofNullable(ids.get(new ObjectKey(kind, name)))));
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
                if (!e.isInUse()) {
                    throw e;
                }
                LOG.info(() -> "stack " + target.stack() + ": old " + old.kind() + " " + old.name()
                        + " still in use, removed on a later pass: " + e.getMessage());
            }
        }
        return removed;
    }

    private List<SwarmObject> liveObjects(String stack) {
        List<SwarmObject> live = new ArrayList<>();
        for (SwarmObject.Kind kind : KINDS) {
            live.addAll(engine.list(kind, StackLabels.NAMESPACE, stack));
        }
        return live;
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

    /** IDs of the live objects; writes of this pass add theirs. */
    private static Map<ObjectKey, String> idsOf(List<SwarmObject> live) {
        Map<ObjectKey, String> ids = new HashMap<>();
        live.forEach(object -> ids.put(object.key(), object.id()));
        return ids;
    }

    /**
     * Service specs with the IDs of the networks, secrets and configs they use, as far as they exist: live ones
     * of the stack, and external ones looked up by name. One of the stack's own that does not exist yet is
     * created by this plan and bound when the service is written (a lookup by name could find a removed one).
     */
    private TargetState withReferenceIds(TargetState target, Map<ObjectKey, String> ids) {
        Set<ObjectKey> own = new HashSet<>();
        target.objects().forEach(object -> own.add(object.key()));
        List<DesiredObject> objects = new ArrayList<>();
        for (DesiredObject object : target.objects()) {
            objects.add(object.kind() != SwarmObject.Kind.SERVICE ? object : new DesiredObject(object.kind(), object.name(),
                    ObjectReferences.withIds(object.spec(), (kind, name) -> {
                        ObjectKey key = new ObjectKey(kind, name);
                        return Optional.ofNullable(own.contains(key) ? ids.get(key) : ids.computeIfAbsent(key,
                                external -> engine.find(kind, name).map(SwarmObject::id).orElse(null)));
                    })));
        }
        return new TargetState(target.stack(), target.revision(), objects, target.externals());
    }

    private Action apply(Action action, TargetState target, Settings settings, Map<ObjectKey, String> ids) {
        LOG.info(() -> "stack " + target.stack() + ": " + action);
        switch (action.type()) {
            case CREATE -> {
                if (action.kind() == SwarmObject.Kind.NETWORK) {
                    networks.awaitGone(target.stack(), action.name());
                }
                String id = createChecked(action, target.stack());
                ids.put(action.key(), id);
                if (action.kind() == SwarmObject.Kind.NETWORK) {
                    networks.confirmPresent(action.name(), id);
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
                        networks.removed(target.stack(), action.name(), id);
                    }
                } catch (EngineException e) {
                    if (e.isGone()) {
                        // Already gone; for a network the manager may keep listing (a copy left on a node), so
                        // it is remembered as removed like one this pass removed.
                        if (action.kind() == SwarmObject.Kind.NETWORK) {
                            networks.removed(target.stack(), action.name(), id);
                        }
                        return action;
                    }
                    if (action.kind() != SwarmObject.Kind.NETWORK || e.isUnreachable()) {
                        throw e;
                    }
                    // Tasks of just-removed services may still hold the network: try again later.
                    throw new RetryLater("network " + action.name() + " not removed yet: " + e.getMessage(), e);
                }
                return action;
            }
            default -> throw new IllegalStateException(action.type().name());
        }
    }

    /** Creates the object; see {@link NetworkSettling#refused} for a service whose network the engine does not find. */
    private String createChecked(Action action, String stack) {
        try {
            ObjectNode spec = action.spec().orElseThrow();
            return engine.create(action.kind(), spec, registryAuth(action.kind(), spec));
        } catch (EngineException e) {
            throw networks.refused(action, stack, e);
        }
    }

    private Optional<String> registryAuth(SwarmObject.Kind kind, ObjectNode spec) {
        return kind == SwarmObject.Kind.SERVICE ? pull.headerFor(spec) : Optional.empty();
    }

    /** Updates with the current version; on "update out of sequence" reads the object again and replans it. */
    private Action update(Action action, TargetState target, Settings settings) {
        Action current = action;
        for (int attempt = 1; ; attempt++) {
            SwarmObject live = current.live().orElseThrow();
            try {
                ObjectNode spec = current.spec().orElseThrow();
                engine.update(current.kind(), live.id(), live.version(), spec, registryAuth(current.kind(), spec));
                return current;
            } catch (EngineException e) {
                if (!e.isOutOfSequence() || attempt >= UPDATE_ATTEMPTS) {
                    throw networks.refused(current, target.stack(), e);
                }
                Optional<SwarmObject> fresh = engine.find(current.kind(), current.name());
                DesiredObject desired = target.objects().stream()
                        .filter(o -> o.kind() == action.kind() && o.name().equals(action.name())).findFirst().orElseThrow();
                Optional<Action> replanned = fresh.isEmpty() ? Optional.empty() : planner.plan(
                        new TargetState(target.stack(), target.revision(), List.of(desired), List.of()),
                        List.of(fresh.get()), settings.options(engine.apiVersion())).steps().stream().findFirst();
                if (replanned.isEmpty()) {
                    return current; // someone else already wrote what we wanted
                }
                current = replanned.get();
            }
        }
    }
}
