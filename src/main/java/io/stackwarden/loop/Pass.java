package io.stackwarden.loop;

import io.stackwarden.desired.DesiredSource;
import io.stackwarden.desired.DesiredStack;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/** One pass of one stack in progress: knows why and when it started, and writes its status once, at the end. */
final class Pass {
    final String stack;
    final Set<Trigger> triggers;
    private final Instant started;
    private final StatusStore statuses;
    private final SuspendOverrides overrides;
    private final Clock clock;

    Pass(String stack, Set<Trigger> triggers, Instant started, StatusStore statuses, SuspendOverrides overrides, Clock clock) {
        this.stack = stack;
        this.triggers = triggers;
        this.started = started;
        this.statuses = statuses;
        this.overrides = overrides;
        this.clock = clock;
    }

    /**
     * The stack's files already failed for good (invalid, refused by the engine) and have not changed
     * since: only new files, a manual sync or a start-up (the failure is saved across restarts, and a new
     * version or environment of the daemon may succeed) try again, so drift events, resyncs and commits to
     * other stacks never loop on them.
     */
    Optional<PassResult> waitingForChange(DesiredSource.Snapshot snapshot, DesiredStack desired, String revision)
            throws IOException {
        if (triggers.contains(Trigger.SOURCE_CHANGE) || triggers.contains(Trigger.MANUAL) || triggers.contains(Trigger.STARTUP)
                || desired.settings().suspend() || overrides.suspended(stack)) {
            return Optional.empty();
        }
        Optional<StackStatus> failed = statuses.get(stack)
                .filter(status -> status.lastOperation() != null && status.lastOperation().result() == OperationResult.FAILED
                        && !status.revisionAttempted().isEmpty());
        if (failed.isEmpty() || snapshot.changedSince(desired, failed.get().revisionAttempted())) {
            return Optional.empty();
        }
        return Optional.of(new PassResult(PassResult.Next.WAIT_FOR_CHANGE, "revision " + failed.get().revisionAttempted()
                + " failed (" + failed.get().message() + "); the stack's files are unchanged at " + revision
                + "; waiting for a new revision or a manual sync"));
    }

    /** Whether someone asked for this pass (files changed, a manual sync, start-up), not a drift check. */
    boolean requested() {
        return triggers.contains(Trigger.SOURCE_CHANGE) || triggers.contains(Trigger.MANUAL) || triggers.contains(Trigger.STARTUP);
    }

    /** The one place a pass's status is written: from its typed ending. */
    PassResult end(PassEnding ending) {
        StackStatus previous = statuses.get(stack).orElse(StackStatus.unknown(stack));
        StackStatus.Operation operation = new StackStatus.Operation(Set.copyOf(triggers), started, clock.instant(),
                ending.next().result(), ending.message(), ending.writes());
        statuses.put(new StackStatus(stack, ending.sync(), ending.health(),
                ending.applied().isEmpty() ? previous.revisionApplied() : ending.applied(),
                ending.attempted().isEmpty() ? previous.revisionAttempted() : ending.attempted(),
                operation, ending.services(), ending.message(),
                ending.imageUpdates().isEmpty() ? previous.imageUpdates() : ending.imageUpdates()));
        return new PassResult(ending.next(), ending.message());
    }
}
