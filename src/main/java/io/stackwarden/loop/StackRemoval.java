package io.stackwarden.loop;

import io.stackwarden.desired.DesiredState;
import io.stackwarden.reconcile.Action;
import io.stackwarden.reconcile.ReconcileResult;
import io.stackwarden.reconcile.StackReconciler;
import io.stackwarden.reconcile.TargetState;
import io.stackwarden.swarm.EngineException;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * A pass of a stack whose folder is gone: prune it when its settings allow and the desired state does not look
 * suspiciously empty; drop its status once the swarm holds nothing of it either, so no stack is shown that exists
 * nowhere (one restored from the saved state, or left unpruned and then removed by hand).
 */
final class StackRemoval {

    private final StackReconciler reconciler;
    private final StatusStore statuses;
    private final ImageUpdates images;
    private final WriteGate writes;
    /** The stacks the swarm has from Stackwarden; throws {@link EngineException} while the engine does not answer. */
    private final Supplier<Set<String>> managedStacks;
    private final int maxStackRemovals;

    StackRemoval(StackReconciler reconciler, StatusStore statuses, ImageUpdates images, WriteGate writes,
                 Supplier<Set<String>> managedStacks, int maxStackRemovals) {
        this.reconciler = reconciler;
        this.statuses = statuses;
        this.images = images;
        this.writes = writes;
        this.managedStacks = managedStacks;
        this.maxStackRemovals = maxStackRemovals;
    }

    PassResult run(Pass pass, DesiredState state) {
        Optional<WriteGate.Refusal> held = writes.refusal();
        if (held.isPresent()) {
            return pass.end(PassEnding.unknown("no write: " + held.get().message(), PassResult.Next.RETRY));
        }
        Set<String> managed;
        try {
            managed = managedStacks.get();
        } catch (EngineException e) {
            return pass.end(PassEnding.unknown(e.getMessage(), PassResult.Next.RETRY));
        }
        if (!managed.contains(pass.stack)) {
            return forget(pass, "stack gone from the files and the swarm", 0);
        }
        Optional<String> refused = refusal(state, pass.stack);
        if (refused.isPresent()) {
            boolean empty = state.stacks().isEmpty();
            return pass.end(PassEnding.of(StackStatus.Sync.OUT_OF_SYNC, StackStatus.Health.UNKNOWN, refused.get(),
                    empty ? PassResult.Next.WAIT_FOR_CHANGE : PassResult.Next.DONE));
        }
        if (!pass.triggers.contains(Trigger.MANUAL)) {
            Set<String> leaving = new TreeSet<>(managed);
            state.stacks().forEach(folder -> leaving.remove(folder.name()));
            leaving.removeIf(stack -> !state.settings().forStack(stack).prune()); // those stay anyway
            if (leaving.size() > maxStackRemovals) {
                return pass.end(PassEnding.of(StackStatus.Sync.OUT_OF_SYNC, StackStatus.Health.UNKNOWN, leaving.size()
                        + " stacks would be removed at once (" + String.join(", ", leaving)
                        + "), more than stackwarden.source.max-stack-removals=" + maxStackRemovals
                        + "; removed only by a manual sync", PassResult.Next.WAIT_FOR_CHANGE));
            }
        }
        ReconcileResult result = reconciler.reconcile(new TargetState(pass.stack, "", List.of(), List.of()),
                settings(state, pass.stack));
        if (result.failed()) {
            return pass.end(PassEnding.of(StackStatus.Sync.OUT_OF_SYNC, StackStatus.Health.UNKNOWN, result.message(),
                    result.outcome() == ReconcileResult.Outcome.TRANSIENT_FAILURE ? PassResult.Next.RETRY
                            : PassResult.Next.WAIT_FOR_CHANGE).writes(result.writes().stream().map(Action::toString).toList()));
        }
        return forget(pass, "stack removed: " + result.message(), result.writes().size());
    }

    /** What a removal would do now: nothing while it is refused. */
    List<Action> preview(DesiredState state, String stack) {
        return refusal(state, stack).isPresent() ? List.of()
                : reconciler.plan(new TargetState(stack, "", List.of(), List.of()), settings(state, stack)).steps();
    }

    private PassResult forget(Pass pass, String message, int writes) {
        statuses.remove(pass.stack);
        images.watch(pass.stack, Optional.empty());
        return pass.unrecorded(PassResult.done(message), "", writes);
    }

    /**
     * Why a stack whose folder is gone must not be removed now, if it must not. Its entry in
     * {@code stackwarden.yaml} may outlive the folder, so its own prune setting counts.
     */
    private static Optional<String> refusal(DesiredState state, String stack) {
        if (state.stacks().isEmpty() && !state.settings().allowEmpty()) {
            return Optional.of("the desired state holds no stacks at all; nothing is pruned unless allowEmpty is set");
        }
        if (!state.settings().forStack(stack).prune()) {
            return Optional.of("stack folder removed; prune is off");
        }
        return Optional.empty();
    }

    private static StackReconciler.Settings settings(DesiredState state, String stack) {
        return new StackReconciler.Settings(state.settings().forStack(stack).resolveImage(), true, false);
    }
}
