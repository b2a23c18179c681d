package io.stackwarden.loop;

import io.stackwarden.compose.engine.StackLabels;
import io.stackwarden.compose.ComposeException;
import io.stackwarden.compose.StackCompiler;
import io.stackwarden.desired.DesiredSource;
import io.stackwarden.desired.DesiredStack;
import io.stackwarden.desired.DesiredState;
import io.stackwarden.desired.DesiredStateException;
import io.stackwarden.desired.DesiredStateReader;
import io.stackwarden.desired.StackSettings;
import io.stackwarden.reconcile.Action;
import io.stackwarden.reconcile.Ownership;
import io.stackwarden.reconcile.ReconcileResult;
import io.stackwarden.reconcile.StackReconciler;
import io.stackwarden.reconcile.TargetState;
import io.stackwarden.remedy.NetworkNotFoundRemedy;
import io.stackwarden.remedy.RemedyInput;
import io.stackwarden.remedy.RemedyReport;
import io.stackwarden.remedy.StackRemedy;
import io.stackwarden.swarm.EngineException;
import io.stackwarden.swarm.ServiceTasks;
import io.stackwarden.swarm.SwarmEngine;
import io.stackwarden.swarm.SwarmObject;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One reconcile pass of one stack, from the desired-state directory to the swarm and into the
 * status store. Bad input of one stack ends that stack's pass with a clear message and changes
 * nothing; an unreadable desired state changes nothing anywhere.
 */
public final class StackController implements StackWorker {

    private final DesiredSource source;
    private final DesiredStateReader reader;
    private final StackCompiler compiler;
    private final StackReconciler reconciler;
    private final SwarmEngine engine;
    private final StatusStore statuses;
    private final Map<String, String> environment;
    private final Clock clock;
    private final SuspendOverrides overrides;
    private final StackRemedy remedies;
    private final StackRemoval removal;
    private final WriteGate writes;
    private final ImageUpdates images;
    private final OwnStack own;

    /**
     * @param maxStackRemovals more stacks than this leaving the files at once are removed only by a manual sync
     */
    public StackController(DesiredSource source, DesiredStateReader reader, StackCompiler compiler, StackReconciler reconciler,
                           SwarmEngine engine, StatusStore statuses, SuspendOverrides overrides,
                           Map<String, String> environment, Clock clock, int maxStackRemovals) {
        this(source, reader, compiler, reconciler, engine, statuses, overrides, environment, clock, maxStackRemovals,
                NetworkNotFoundRemedy.withDefaults(engine, clock, () -> { }));
    }

    /** @param remedy the remedies each pass asks after reading the tasks (network-not-found retries, the node agent's) */
    public StackController(DesiredSource source, DesiredStateReader reader, StackCompiler compiler, StackReconciler reconciler,
                           SwarmEngine engine, StatusStore statuses, SuspendOverrides overrides,
                           Map<String, String> environment, Clock clock, int maxStackRemovals,
                           StackRemedy remedy) {
        this(source, reader, compiler, reconciler, engine, statuses, overrides, environment, clock, maxStackRemovals, remedy,
                ImageUpdates.NONE, WriteGate.OPEN);
    }

    /** Not running in a stack of its own. */
    public StackController(DesiredSource source, DesiredStateReader reader, StackCompiler compiler, StackReconciler reconciler,
                           SwarmEngine engine, StatusStore statuses, SuspendOverrides overrides,
                           Map<String, String> environment, Clock clock, int maxStackRemovals,
                           StackRemedy remedies, ImageUpdates images, WriteGate writes) {
        this(source, reader, compiler, reconciler, engine, statuses, overrides, environment, clock, maxStackRemovals, remedies,
                images, writes, OwnStack.of(Optional.empty()));
    }

    /**
     * @param remedies what a pass that applied does about the stack's tasks (network-not-found, rebalance, ...)
     * @param images   the watch of image tags, for stacks that opted in
     * @param writes   the one gate of writes: a standby runs no passes at all, held writes (quorum lost) end a pass
     *                 unwritten and it retries; remedies ask it before each write
     * @param own      the stack Stackwarden runs in: never reconciled, never pruned
     */
    public StackController(DesiredSource source, DesiredStateReader reader, StackCompiler compiler, StackReconciler reconciler,
                           SwarmEngine engine, StatusStore statuses, SuspendOverrides overrides,
                           Map<String, String> environment, Clock clock, int maxStackRemovals,
                           StackRemedy remedies, ImageUpdates images, WriteGate writes, OwnStack own) {
        this.own = own;
        this.images = images;
        this.writes = writes;
        this.remedies = remedies;
        this.overrides = overrides;
        this.source = source;
        this.removal = new StackRemoval(reconciler, statuses, images, writes, this::managedStacks, maxStackRemovals);
        this.reader = reader;
        this.compiler = compiler;
        this.reconciler = reconciler;
        this.engine = engine;
        this.statuses = statuses;
        this.environment = Map.copyOf(environment);
        this.clock = clock;
    }

    /**
     * Every stack worth a pass: those in the files, those the swarm has from Stackwarden (to prune) and those shown
     * with a status (a pass drops the status of a stack that exists nowhere). While the engine does not answer,
     * the swarm's are left out: nothing can be pruned then anyway.
     */
    public Set<String> knownStacks() throws DesiredStateException {
        Set<String> stacks = new TreeSet<>();
        statuses.all().forEach(status -> stacks.add(status.stack()));
        read().stacks().forEach(stack -> stacks.add(stack.name()));
        try {
            stacks.addAll(managedStacks());
        } catch (EngineException e) {
            // the engine monitor reports it; the next resync after recovery lists them
        }
        return stacks;
    }

    /** The desired state as it is now, never while the source changes it. */
    private DesiredState read() throws DesiredStateException {
        try (DesiredSource.Snapshot ignored = source.open()) {
            return reader.read(source.root());
        }
    }

    /** The stacks the swarm has from Stackwarden, never its own (so a removal of everything cannot include it). */
    private Set<String> managedStacks() {
        Set<String> stacks = new TreeSet<>();
        for (SwarmObject.Kind kind : SwarmObject.Kind.values()) {
            engine.list(kind, Ownership.MANAGED_BY, Ownership.MANAGED_BY_VALUE)
                    .forEach(object -> Optional.ofNullable(object.labels().get(StackLabels.NAMESPACE)).ifPresent(stacks::add));
        }
        stacks.removeIf(own::is);
        return stacks;
    }

    /** One pass: load the stack's files, decide what the policy allows, act, and end with one typed status. */
    @Override
    public PassResult reconcile(String stack, Set<Trigger> triggers) {
        Optional<WriteGate.Refusal> standby = writes.refusal().filter(WriteGate.Refusal::standby);
        if (standby.isPresent()) {
            // The leader runs this stack's passes; a standby's status mirrors the leader's.
            return new PassResult(PassResult.Next.DONE, standby.get().message());
        }
        Pass pass = new Pass(stack, triggers, clock.instant(), statuses, overrides, clock);
        Optional<String> ours = own.refusal(stack);
        if (ours.isPresent()) {
            return pass.end(PassEnding.unknown(ours.get(), PassResult.Next.WAIT_FOR_CHANGE));
        }
        Loaded loaded = load(pass);
        if (loaded instanceof Loaded.Ended ended) {
            return ended.result();
        }
        if (loaded instanceof Loaded.Gone gone) {
            return removal.run(pass, gone.state());
        }
        Loaded.Ready ready = (Loaded.Ready) loaded;
        try {
            return switch (decide(pass, ready)) {
                case LEAVE_SUSPENDED -> leaveSuspended(pass, ready);
                case REPORT_DRIFT -> reportDrift(pass, ready);
                case HOLD -> pass.end(PassEnding.unknown("no write: " + writes.refusal().map(WriteGate.Refusal::message)
                        .orElse("writes are held"), PassResult.Next.RETRY).attempted(ready.revision()));
                case APPLY -> apply(pass, ready);
            };
        } catch (EngineException e) {
            return pass.end(PassEnding.unknown(e.getMessage(), PassResult.Next.RETRY).attempted(ready.revision()));
        }
    }

    /** What reading the files gave for one stack. */
    private sealed interface Loaded {
        /** The pass is over already: the files are unreadable or invalid, or failed before and did not change. */
        record Ended(PassResult result) implements Loaded {
        }

        /** The stack's folder is gone. */
        record Gone(DesiredState state) implements Loaded {
        }

        /** @param newRevision whether the stack's own files changed since they were last applied */
        record Ready(Prepared prepared, StackSettings settings, String revision, boolean newRevision) implements Loaded {
        }
    }

    /** What the stack's settings allow this pass to do. */
    private enum Decision { LEAVE_SUSPENDED, REPORT_DRIFT, HOLD, APPLY }

    /** Reads and compiles the stack under a snapshot, so a source reset never shows half a tree. */
    private Loaded load(Pass pass) {
        try (DesiredSource.Snapshot snapshot = source.open()) {
            DesiredState state = reader.read(source.root());
            Optional<DesiredStack> found = state.stack(pass.stack);
            if (found.isEmpty()) {
                return new Loaded.Gone(state);
            }
            DesiredStack desired = found.get();
            String revision = snapshot.revision(desired);
            Optional<PassResult> waiting = pass.waitingForChange(snapshot, desired, revision);
            if (waiting.isPresent()) {
                return new Loaded.Ended(waiting.get());
            }
            // A commit elsewhere in the repository is a new revision, but not new files for this stack.
            boolean newRevision = false;
            if (!desired.settings().selfHeal()) {
                String applied = statuses.get(pass.stack).map(StackStatus::revisionApplied).orElse("");
                newRevision = applied.isEmpty() || snapshot.changedSince(desired, applied);
            }
            try {
                return new Loaded.Ready(prepare(state, desired, revision), desired.settings(), revision, newRevision);
            } catch (ComposeException | IOException e) {
                return new Loaded.Ended(pass.end(PassEnding.unknown(e.getMessage(), PassResult.Next.WAIT_FOR_CHANGE)
                        .attempted(revision)));
            }
        } catch (DesiredStateException e) {
            return new Loaded.Ended(pass.end(PassEnding.unknown(e.getMessage(), PassResult.Next.RETRY)));
        } catch (IOException e) {
            return new Loaded.Ended(pass.end(PassEnding.unknown(e.getMessage(), PassResult.Next.WAIT_FOR_CHANGE)));
        }
    }

    private Decision decide(Pass pass, Loaded.Ready ready) {
        if (ready.settings().suspend() || overrides.suspended(pass.stack)) {
            return Decision.LEAVE_SUSPENDED;
        }
        // Without self-heal, only new files or a request are applied; drift alone is reported.
        if (!ready.settings().selfHeal() && !pass.requested() && !ready.newRevision()) {
            return Decision.REPORT_DRIFT;
        }
        return writes.refusal().isPresent() ? Decision.HOLD : Decision.APPLY;
    }

    private PassResult leaveSuspended(Pass pass, Loaded.Ready ready) {
        TargetState target = ready.prepared().target();
        Optional<List<Action>> drift = previewIfReachable(target, ready.prepared().settings());
        return pass.end(PassEnding.of(drift.map(StackController::syncOf).orElse(StackStatus.Sync.UNKNOWN),
                        StackStatus.Health.SUSPENDED, "suspended: not reconciled", PassResult.Next.DONE)
                .attempted(ready.revision())
                .services(drift.map(d -> ServiceStatuses.withDifferences(health(read(pass.stack), target).services(), d)).orElse(List.of())));
    }

    private PassResult reportDrift(Pass pass, Loaded.Ready ready) {
        TargetState target = ready.prepared().target();
        List<Action> drift = reconciler.plan(target, ready.prepared().settings()).steps();
        StackHealth.Assessment health = health(read(pass.stack), target);
        // Tasks still starting or short are looked at again soon, as after an apply: no event says they came up.
        return pass.end(PassEnding.of(syncOf(drift), health.health(), drift.isEmpty() ? "in sync"
                        : "self-heal is off: " + drift.size() + " difference(s) left alone",
                        converging(health) ? PassResult.Next.CHECK_SOON : PassResult.Next.DONE)
                .attempted(ready.revision()).services(ServiceStatuses.withDifferences(health.services(), drift)));
    }

    private PassResult apply(Pass pass, Loaded.Ready ready) {
        String stack = pass.stack;
        String revision = ready.revision();
        TargetState target = ready.prepared().target();
        List<String> warnings = ready.prepared().compiled().warnings();
        ReconcileResult result = reconciler.reconcile(target, ready.prepared().settings());
        String message = warnings.isEmpty() ? result.message() : result.message() + "; warnings: " + String.join("; ", warnings);
        List<String> writes = result.writes().stream().map(Action::toString).toList();
        switch (result.outcome()) {
            case TRANSIENT_FAILURE:
                return pass.end(PassEnding.unknown(message, PassResult.Next.RETRY).attempted(revision).writes(writes));
            case TERMINAL_FAILURE:
                return pass.end(PassEnding.of(StackStatus.Sync.OUT_OF_SYNC, safeHealth(stack, target), message,
                        PassResult.Next.WAIT_FOR_CHANGE).attempted(revision).writes(writes));
            default:
                break;
        }
        StackHealth.Assessment health;
        RemedyReport remedies;
        try {
            // One read of the tasks serves both: the remedies act on what the health reports.
            List<ServiceTasks> read = read(stack);
            remedies = this.remedies.check(new RemedyInput(stack, read, ready.prepared().rebalance(),
                    () -> this.writes.refusal().map(WriteGate.Refusal::message)));
            health = health(read, target);
        } catch (EngineException e) {
            // Applied, but the tasks could not be read: record the writes and look again soon.
            return pass.end(PassEnding.of(StackStatus.Sync.SYNCED, StackStatus.Health.UNKNOWN, message,
                    PassResult.Next.CHECK_SOON).applied(revision).writes(writes));
        }
        // A retry that is due or just made needs a look again soon, as tasks that are still converging do, and
        // tasks that are short: the engine sends no task events, so only a look shows swarm's own restarts.
        boolean again = remedies.pending() || converging(health);
        List<String> rolled = ImageRollouts.notes(result.writes());
        List<String> notes = new ArrayList<>(rolled);
        notes.addAll(remedies.notes());
        return pass.end(PassEnding.of(StackStatus.Sync.SYNCED, health.health(), withNotes(message, notes),
                        again ? PassResult.Next.CHECK_SOON : PassResult.Next.DONE).imageUpdates(rolled)
                .applied(revision).writes(writes).services(ServiceStatuses.withRemedies(health.services(), remedies)));
    }

    /**
     * A stack ready to reconcile: its target state and how to apply it.
     *
     * @param rebalance the engine names of its services that opted in to the rebalance
     */
    private record Prepared(TargetState target, StackReconciler.Settings settings, StackCompiler.Compiled compiled,
                            Set<String> rebalance) {
    }

    /** Loads and converts one stack folder; a folder problem or bad files end in {@link ComposeException}. */
    private Prepared prepare(DesiredState state, DesiredStack folder, String revision) throws ComposeException, IOException {
        StackCompiler.Compiled compiled = compiler.compile(folder.input(state.root(), environment));
        StackSettings settings = folder.settings();
        images.watch(folder.name(), settings.watchImages());
        return new Prepared(TargetState.of(folder.name(), revision, compiled.objects()),
                new StackReconciler.Settings(settings.resolveImage(), settings.prune(), settings.adopt(),
                        Set.copyOf(settings.ignore()), images.newer(folder.name())), compiled,
                settings.rebalance().of(compiled.objects().services(), compiled.extensions()));
    }

    /**
     * What a sync of {@code stack} would write now, without writing. Empty when the stack is unknown.
     *
     * @throws ComposeException when its files are invalid
     */
    public Optional<List<Action>> diff(String stack) throws DesiredStateException, ComposeException, IOException {
        DesiredState state;
        Prepared prepared = null;
        try (DesiredSource.Snapshot snapshot = source.open()) {
            state = reader.read(source.root());
            Optional<DesiredStack> desired = state.stack(stack);
            if (desired.isPresent()) {
                prepared = prepare(state, desired.get(), snapshot.revision(desired.get()));
            }
        }
        if (prepared == null) {
            if (!knows(stack)) {
                return Optional.empty();
            }
            return Optional.of(removal.preview(state, stack));
        }
        return Optional.of(reconciler.plan(prepared.target(), prepared.settings()).steps());
    }

    /** Whether the stack exists in the files or in the swarm as Stackwarden's. */
    public boolean knows(String stack) throws DesiredStateException {
        return knownStacks().contains(stack);
    }

    /** What a sync would do to a stack left alone; empty while the engine does not answer. */
    private Optional<List<Action>> previewIfReachable(TargetState target, StackReconciler.Settings settings) {
        try {
            return Optional.of(reconciler.plan(target, settings).steps());
        } catch (EngineException e) {
            return Optional.empty();
        }
    }

    private static boolean converging(StackHealth.Assessment health) {
        return health.health() == StackStatus.Health.PROGRESSING || health.health() == StackStatus.Health.DEGRADED;
    }

    private static String withNotes(String message, List<String> notes) {
        return notes.isEmpty() ? message : message + "; " + String.join("; ", notes);
    }

    private static StackStatus.Sync syncOf(List<Action> actions) {
        return actions.isEmpty() ? StackStatus.Sync.SYNCED : StackStatus.Sync.OUT_OF_SYNC;
    }

    /** The stack's services with their tasks. */
    private List<ServiceTasks> read(String stack) {
        return ServiceTasks.read(engine, StackLabels.NAMESPACE, stack);
    }

    private static StackHealth.Assessment health(List<ServiceTasks> read, TargetState target) {
        boolean expectServices = target.objects().stream().anyMatch(o -> o.kind() == SwarmObject.Kind.SERVICE);
        return StackHealth.assess(read, expectServices);
    }

    private StackStatus.Health safeHealth(String stack, TargetState target) {
        try {
            return health(read(stack), target).health();
        } catch (EngineException e) {
            return StackStatus.Health.UNKNOWN;
        }
    }
}
