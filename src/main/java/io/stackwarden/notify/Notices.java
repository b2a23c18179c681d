package io.stackwarden.notify;

import io.stackwarden.desired.source.SourceStatus;
import io.stackwarden.loop.OperationResult;
import io.stackwarden.loop.StackStatus;
import io.stackwarden.remedy.RemedyStatus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a status tells, as notices: every write of a stack's status gives its conditions as they are now (the
 * sinks' de-duplication keeps only what changed); Unknown and retrying say nothing, they are not known yet.
 */
public final class Notices {

    /** The deploy states, in the words commit statuses map from. */
    public static final String PENDING = "pending";
    public static final String SUCCESS = "success";
    public static final String FAILURE = "failure";

    private Notices() {
    }

    /** The notices of one write of a stack's status; {@code after} is null when the stack was removed. */
    public static List<Notice> of(StackStatus before, StackStatus after, Instant at) {
        if (after == null) {
            return List.of(Notice.of(NoticeKind.PRUNED, before.stack(), "pruned", Notice.Level.OK,
                    before.revisionApplied(), "stack " + before.stack() + " was pruned: its folder is gone", "", at));
        }
        String stack = after.stack();
        List<Notice> notices = new ArrayList<>();
        if (after.sync() != StackStatus.Sync.UNKNOWN) {
            boolean synced = after.sync() == StackStatus.Sync.SYNCED;
            notices.add(Notice.of(NoticeKind.SYNC, stack, after.sync().toString(), synced ? Notice.Level.OK : Notice.Level.WARNING,
                    after.revisionApplied(), "stack " + stack + " is " + after.sync(), synced ? "" : after.message(), at));
        }
        if (after.health() != StackStatus.Health.UNKNOWN) {
            notices.add(Notice.of(NoticeKind.HEALTH, stack, after.health().toString(), level(after.health()),
                    after.revisionApplied(), "stack " + stack + " is " + after.health(),
                    level(after.health()) == Notice.Level.OK ? "" : after.message(), at));
        }
        deploy(after, at).ifPresent(notices::add);
        notices.add(remedy(after, at));
        return notices;
    }

    /** The source after a refresh. */
    public static Notice source(SourceStatus status, Instant at) {
        String revision = status.revision() == null ? "" : status.revision();
        if (status.stale()) {
            return Notice.of(NoticeKind.SOURCE, "", "stale", Notice.Level.FAILURE, revision,
                    "the desired-state source is stale" + (revision.isEmpty() ? "" : ", keeping " + revision),
                    status.error(), at);
        }
        return Notice.of(NoticeKind.SOURCE, "", "current", Notice.Level.OK, revision,
                "the desired-state source is current at " + revision, "", at);
    }

    /** How the stack's revision fared: failed passes, or applied and then as healthy as the stack is. */
    private static Optional<Notice> deploy(StackStatus status, Instant at) {
        StackStatus.Operation operation = status.lastOperation();
        if (operation == null || operation.result() == OperationResult.RETRYING) {
            return Optional.empty();
        }
        String stack = status.stack();
        if (operation.result() == OperationResult.FAILED) {
            String revision = status.revisionAttempted();
            return Optional.of(Notice.of(NoticeKind.DEPLOY, stack, FAILURE, Notice.Level.FAILURE, revision,
                    "stack " + stack + ": " + (revision.isEmpty() ? "pass" : "revision " + shortRevision(revision)) + " failed",
                    status.message(), at));
        }
        String revision = status.revisionApplied();
        if (status.sync() != StackStatus.Sync.SYNCED || revision.isEmpty()) {
            return Optional.empty(); // drift left alone, suspended, or nothing applied yet: no revision to judge
        }
        String applied = "stack " + stack + ": revision " + shortRevision(revision);
        return switch (status.health()) {
            case HEALTHY -> Optional.of(Notice.of(NoticeKind.DEPLOY, stack, SUCCESS, Notice.Level.OK, revision,
                    applied + " deployed and healthy", "", at));
            case PROGRESSING -> Optional.of(Notice.of(NoticeKind.DEPLOY, stack, PENDING, Notice.Level.OK, revision,
                    applied + " applied, tasks starting", "", at));
            case DEGRADED, MISSING -> Optional.of(Notice.of(NoticeKind.DEPLOY, stack, FAILURE, Notice.Level.FAILURE, revision,
                    applied + " applied, but " + status.health(), status.message(), at));
            case SUSPENDED, UNKNOWN -> Optional.empty();
        };
    }

    /** What remedies did: retries made and remedies given up, per service; waiting ones are not news yet. */
    private static Notice remedy(StackStatus status, Instant at) {
        List<String> acted = new ArrayList<>();
        boolean exhausted = false;
        for (StackStatus.ServiceStatus service : status.services()) {
            for (RemedyStatus remedy : service.remedies()) {
                if (remedy.state().equals(RemedyStatus.EXHAUSTED)) {
                    exhausted = true;
                    acted.add(service.name() + ": " + remedy.remedy() + " gave up after " + remedy.retries() + " retries");
                } else if (remedy.retries() > 0) {
                    // The rebalance has no most retries (maxRetries 0): its count is of forced updates.
                    acted.add(service.name() + ": " + remedy.remedy() + (remedy.maxRetries() > 0 ? " retried ("
                            + remedy.retries() + "/" + remedy.maxRetries() + ")" : " forced " + remedy.retries() + " update(s)"));
                }
            }
        }
        String stack = status.stack();
        if (acted.isEmpty()) {
            return Notice.of(NoticeKind.REMEDY, stack, "none", Notice.Level.OK, status.revisionApplied(),
                    "stack " + stack + ": no remedy at work", "", at);
        }
        acted.sort(null);
        String what = acted.stream().collect(Collectors.joining("; "));
        return Notice.of(NoticeKind.REMEDY, stack, what, exhausted ? Notice.Level.FAILURE : Notice.Level.OK,
                status.revisionApplied(), "stack " + stack + ": " + what, status.message(), at);
    }

    private static Notice.Level level(StackStatus.Health health) {
        return switch (health) {
            case DEGRADED, MISSING -> Notice.Level.FAILURE;
            default -> Notice.Level.OK;
        };
    }

    /** {@code git:<sha>} as the short commit people know; anything else as it is. */
    static String shortRevision(String revision) {
        return revision.startsWith("git:") && revision.length() > 16 ? revision.substring(4, 16) : revision;
    }
}
