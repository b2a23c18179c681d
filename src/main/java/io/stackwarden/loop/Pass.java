package io.stackwarden.loop;

import io.stackwarden.desired.DesiredSource;
import io.stackwarden.desired.DesiredStack;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * One pass of one stack in progress: knows why and when it started, and writes its status once, at the end.
 * Every pass ends in one log line: stack, triggers, revision, result, writes and duration (grep or JSON-log friendly).
 */
final class Pass {
    private static final Logger LOG = Logger.getLogger(Pass.class.getName());

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
        return Optional.of(unrecorded(new PassResult(PassResult.Next.WAIT_FOR_CHANGE, "revision "
                + failed.get().revisionAttempted() + " failed (" + failed.get().message()
                + "); the stack's files are unchanged at " + revision + "; waiting for a new revision or a manual sync"),
                revision, 0));
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
        PassResult result = new PassResult(ending.next(), ending.message());
        log(result, ending.attempted(), ending.writes().size(), " sync=" + ending.sync() + " health=" + ending.health());
        return result;
    }

    /** A pass that ends without a status of its own (it waited, or the stack is gone): only its log line. */
    PassResult unrecorded(PassResult result, String revision, int writes) {
        log(result, revision, writes, "");
        return result;
    }

    private void log(PassResult result, String revision, int writes, String state) {
        long millis = Duration.between(started, clock.instant()).toMillis();
        String trigger = triggers.stream().map(Enum::name).sorted().collect(Collectors.joining(","));
        LOG.info(() -> "pass stack=" + stack + " trigger=" + trigger + " revision=" + (revision.isEmpty() ? "-" : revision) + " result=" + result.next().result()
                + " writes=" + writes + " duration=" + millis + "ms" + state + ": " + result.message());
    }
}
