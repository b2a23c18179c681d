package io.stackwarden.notify;

import io.stackwarden.loop.OperationResult;
import io.stackwarden.loop.StackStatus;
import io.stackwarden.support.Backoff;
import io.stackwarden.support.ManualScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.stackwarden.notify.NoticesTest.R1;
import static io.stackwarden.notify.NoticesTest.R2;
import static io.stackwarden.notify.NoticesTest.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The decisions, with the real outbox and time moved by hand: one message per transition, nothing for what
 * was fine at start, reminders while broken, filters per sink.
 */
class NotifierTest {

    private static final Duration SWEEP = Duration.ofMinutes(1);

    /** A sink that keeps what it is told, as headlines. */
    static final class Recording implements Sink {
        final List<Notice> told = new CopyOnWriteArrayList<>();

        @Override
        public void deliver(Notice notice) {
            told.add(notice);
        }

        List<String> headlines() {
            return told.stream().map(Notice::headline).toList();
        }
    }

    private final ManualScheduler scheduler = new ManualScheduler();
    private final Recording chat = new Recording();
    private final Recording shopOnly = new Recording();
    private Notifier notifier;

    private Notifier notifier(Duration remindEvery) {
        Outbox outbox = new Outbox(100, 3, new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8), () -> 1.0), scheduler,
                (sink, outcome) -> { });
        notifier = new Notifier(List.of(
                new Channel("chat", chat, new SinkFilter(EnumSet.allOf(NoticeKind.class), Set.of()), new Dedupe(remindEvery)),
                new Channel("shop-health", shopOnly, new SinkFilter(EnumSet.of(NoticeKind.HEALTH, NoticeKind.SOURCE), Set.of("shop")),
                        new Dedupe(remindEvery))), outbox, scheduler, SWEEP);
        notifier.start();
        return notifier;
    }

    @AfterEach
    void close() {
        notifier.close();
    }

    private static StackStatus shop(StackStatus.Sync sync, StackStatus.Health health, OperationResult result, String revision) {
        return status(sync, health, result, revision);
    }

    /** R2 failed (invalid files) while R1 runs on. */
    private static StackStatus failedAtR2() {
        return status(StackStatus.Sync.OUT_OF_SYNC, StackStatus.Health.HEALTHY, OperationResult.FAILED, R1, R2,
                "services.web.image: required", List.of());
    }

    private static StackStatus renamed(StackStatus status, String stack) {
        return new StackStatus(stack, status.sync(), status.health(), status.revisionApplied(), status.revisionAttempted(),
                status.lastOperation(), status.services(), status.message(), status.imageUpdates());
    }

    /**
     * Waits until everything queued so far reached the chat sink (the outbox keeps order): a marker goes last and
     * is taken out again. So "nothing more was told" is checked, not merely "nothing arrived yet".
     */
    private void settle() {
        Notice marker = Notice.of(NoticeKind.PRUNED, "marker", "pruned", Notice.Level.OK, "", "marker", "", NoticesTest.AT);
        notifier.publish(marker);
        io.stackwarden.support.Await.until("the marker", Duration.ofSeconds(10), () -> chat.told.contains(marker));
        chat.told.remove(marker);
    }

    private static void waitFor(Recording sink, int count) {
        io.stackwarden.support.Await.until(count + " notices", Duration.ofSeconds(10), () -> sink.told.size() >= count,
                () -> sink.headlines().toString());
    }

    /** Of several replicas only the acting one notifies: a standby's statuses are the leader's, mirrored. */
    @Test
    void aStandbyTellsNothingAndTheLeaderItBecomesDoes() {
        java.util.concurrent.atomic.AtomicBoolean acting = new java.util.concurrent.atomic.AtomicBoolean(false);
        Outbox outbox = new Outbox(100, 3, new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8), () -> 1.0), scheduler,
                (sink, outcome) -> { });
        notifier = new Notifier(List.of(new Channel("chat", chat, new SinkFilter(EnumSet.allOf(NoticeKind.class), Set.of()),
                new Dedupe(Duration.ofHours(6)))), outbox, scheduler, SWEEP, acting::get);
        notifier.start();
        StackStatus healthy = shop(StackStatus.Sync.SYNCED, StackStatus.Health.HEALTHY, OperationResult.SUCCEEDED, R1);
        StackStatus degraded = shop(StackStatus.Sync.SYNCED, StackStatus.Health.DEGRADED, OperationResult.SUCCEEDED, R1);
        notifier.stackUpdated(healthy, degraded);
        scheduler.advance(SWEEP.multipliedBy(3));

        assertEquals(List.of(), chat.headlines(), "the leader told it; its mirror on a standby is not told again");

        acting.set(true);
        notifier.stackUpdated(degraded, healthy);
        notifier.stackUpdated(healthy, degraded);
        settle();
        assertTrue(chat.headlines().contains("stack shop is Degraded (was Healthy)"), chat.headlines().toString());
    }

    @Test
    void whatIsFineAtStartIsNoNewsAndEachTransitionIsToldOnce() {
        notifier(Duration.ofHours(6));
        StackStatus healthy = shop(StackStatus.Sync.SYNCED, StackStatus.Health.HEALTHY, OperationResult.SUCCEEDED, R1);
        StackStatus degraded = shop(StackStatus.Sync.SYNCED, StackStatus.Health.DEGRADED, OperationResult.SUCCEEDED, R1);

        notifier.stackUpdated(StackStatus.unknown("shop"), healthy);
        notifier.stackUpdated(healthy, healthy);
        notifier.stackUpdated(healthy, degraded);
        notifier.stackUpdated(degraded, degraded); // a resync finds it still degraded: no news
        notifier.stackUpdated(degraded, healthy);

        settle();
        assertEquals(List.of("stack shop is Degraded (was Healthy)", "stack shop: revision 111111111111 applied, but Degraded",
                "stack shop is Healthy (was Degraded)", "stack shop: revision 111111111111 deployed and healthy"), chat.headlines());
        assertEquals(List.of("stack shop is Degraded (was Healthy)", "stack shop is Healthy (was Degraded)"), shopOnly.headlines());
    }

    @Test
    void aNewRevisionIsToldEvenWhenTheStackStaysHealthyAndAnUnknownBlipIsNot() {
        notifier(Duration.ofHours(6));
        StackStatus atR1 = shop(StackStatus.Sync.SYNCED, StackStatus.Health.HEALTHY, OperationResult.SUCCEEDED, R1);
        StackStatus unknown = shop(StackStatus.Sync.UNKNOWN, StackStatus.Health.UNKNOWN, OperationResult.RETRYING, R1);
        StackStatus atR2 = shop(StackStatus.Sync.SYNCED, StackStatus.Health.HEALTHY, OperationResult.SUCCEEDED, R2);

        notifier.stackUpdated(StackStatus.unknown("shop"), atR1);
        notifier.stackUpdated(atR1, unknown);
        notifier.stackUpdated(unknown, atR1);
        notifier.stackUpdated(atR1, atR2);

        settle();
        assertEquals(List.of("stack shop: revision 222222222222 deployed and healthy"), chat.headlines());
        assertEquals(List.of(), shopOnly.headlines());
    }

    @Test
    void whatStaysBrokenIsRemindedEveryIntervalAndNotWhatIsFine() {
        notifier(Duration.ofHours(1));
        StackStatus failed = failedAtR2();
        notifier.stackUpdated(StackStatus.unknown("shop"), failed);
        waitFor(chat, 2); // OutOfSync, and the failed revision
        assertEquals(List.of("stack shop is OutOfSync", "stack shop: revision 222222222222 failed"), chat.headlines());

        scheduler.advance(Duration.ofMinutes(59));
        settle();
        assertEquals(2, chat.told.size());
        scheduler.advance(Duration.ofMinutes(1));
        waitFor(chat, 4);
        assertEquals(List.of("still: stack shop is OutOfSync", "still: stack shop: revision 222222222222 failed"),
                chat.headlines().subList(2, 4).stream().sorted().toList());
        assertTrue(chat.told.get(3).reminder());

        scheduler.advance(Duration.ofMinutes(59));
        settle();
        assertEquals(4, chat.told.size());
        scheduler.advance(Duration.ofMinutes(1));
        settle();
        assertEquals(6, chat.told.size());
    }

    @Test
    void remindersCanBeTurnedOff() {
        notifier(Duration.ZERO);
        notifier.stackUpdated(StackStatus.unknown("shop"), failedAtR2());
        waitFor(chat, 2);
        scheduler.advance(Duration.ofDays(2));
        settle();
        assertEquals(2, chat.told.size());
    }

    @Test
    void stacksOutsideASinksFilterAreNotToldButTheSourceIs() {
        notifier(Duration.ofHours(6));
        StackStatus healthy = renamed(shop(StackStatus.Sync.SYNCED, StackStatus.Health.HEALTHY, OperationResult.SUCCEEDED, R1), "blog");
        StackStatus degraded = renamed(shop(StackStatus.Sync.SYNCED, StackStatus.Health.DEGRADED, OperationResult.SUCCEEDED, R1), "blog");
        notifier.stackUpdated(StackStatus.unknown("blog"), healthy);
        notifier.stackUpdated(healthy, degraded);
        notifier.sourceRefreshed(new io.stackwarden.desired.source.SourceStatus("git", null, "main", R1, null, true,
                NoticesTest.AT, "fetch failed", true));

        settle();
        assertEquals(List.of("the desired-state source is stale, keeping " + R1), shopOnly.headlines());
        assertEquals(List.of("stack blog is Degraded (was Healthy)", "stack blog: revision 111111111111 applied, but Degraded",
                "the desired-state source is stale, keeping " + R1), chat.headlines());
    }

    @Test
    void aPrunedStackIsToldEveryTimeAndComesBackAfresh() {
        notifier(Duration.ofHours(6));
        StackStatus failing = failedAtR2();
        notifier.stackUpdated(StackStatus.unknown("shop"), failing);
        notifier.stackUpdated(failing, null);
        notifier.stackUpdated(StackStatus.unknown("shop"), failing);
        notifier.stackUpdated(failing, null);

        settle();
        assertEquals(List.of("stack shop is OutOfSync", "stack shop: revision 222222222222 failed",
                "stack shop was pruned: its folder is gone",
                "stack shop is OutOfSync", "stack shop: revision 222222222222 failed",
                "stack shop was pruned: its folder is gone"), chat.headlines());
    }
}
