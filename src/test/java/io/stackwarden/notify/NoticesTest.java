package io.stackwarden.notify;

import io.stackwarden.desired.source.SourceStatus;
import io.stackwarden.loop.OperationResult;
import io.stackwarden.loop.StackStatus;
import io.stackwarden.loop.Trigger;
import io.stackwarden.remedy.RemedyStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a status write tells: each kind's condition now; nothing for what is not known yet. */
class NoticesTest {

    static final String R1 = "git:1111111111111111111111111111111111111111";
    static final String R2 = "git:2222222222222222222222222222222222222222";
    static final Instant AT = Instant.parse("2026-01-01T10:00:00Z");

    static StackStatus status(StackStatus.Sync sync, StackStatus.Health health, OperationResult result, String applied,
                              String attempted, String message, List<StackStatus.ServiceStatus> services) {
        StackStatus.Operation operation = result == null ? null
                : new StackStatus.Operation(Set.of(Trigger.SOURCE_CHANGE), AT, AT, result, message, List.of());
        return new StackStatus("shop", sync, health, applied, attempted, operation, services, message, List.of());
    }

    static StackStatus status(StackStatus.Sync sync, StackStatus.Health health, OperationResult result, String applied) {
        return status(sync, health, result, applied, applied, "in sync", List.of());
    }

    private static Map<NoticeKind, Notice> byKind(List<Notice> notices) {
        return notices.stream().collect(Collectors.toMap(Notice::kind, Function.identity()));
    }

    @Test
    void aHealthyDeployTellsSyncHealthTheRevisionAndNoRemedy() {
        Map<NoticeKind, Notice> notices = byKind(Notices.of(StackStatus.unknown("shop"),
                status(StackStatus.Sync.SYNCED, StackStatus.Health.HEALTHY, OperationResult.SUCCEEDED, R1), AT));

        assertEquals(Set.of(NoticeKind.SYNC, NoticeKind.HEALTH, NoticeKind.DEPLOY, NoticeKind.REMEDY), notices.keySet());
        assertEquals("Synced", notices.get(NoticeKind.SYNC).state());
        assertEquals("Healthy", notices.get(NoticeKind.HEALTH).state());
        Notice deploy = notices.get(NoticeKind.DEPLOY);
        assertEquals(Notices.SUCCESS, deploy.state());
        assertEquals(R1, deploy.revision());
        assertEquals("stack shop: revision 111111111111 deployed and healthy", deploy.text());
        assertEquals("none", notices.get(NoticeKind.REMEDY).state());
        assertTrue(notices.values().stream().allMatch(n -> n.level() == Notice.Level.OK));
    }

    @Test
    void progressingIsPendingAndDegradedAFailureOfTheAppliedRevision() {
        Notice pending = byKind(Notices.of(StackStatus.unknown("shop"),
                status(StackStatus.Sync.SYNCED, StackStatus.Health.PROGRESSING, OperationResult.SUCCEEDED, R1), AT))
                .get(NoticeKind.DEPLOY);
        assertEquals(Notices.PENDING, pending.state());

        Map<NoticeKind, Notice> degraded = byKind(Notices.of(StackStatus.unknown("shop"), status(StackStatus.Sync.SYNCED,
                StackStatus.Health.DEGRADED, OperationResult.SUCCEEDED, R1, R1, "0/2 tasks running", List.of()), AT));
        assertEquals(Notices.FAILURE, degraded.get(NoticeKind.DEPLOY).state());
        assertEquals(Notice.Level.FAILURE, degraded.get(NoticeKind.DEPLOY).level());
        assertEquals(Notice.Level.FAILURE, degraded.get(NoticeKind.HEALTH).level());
        assertEquals("0/2 tasks running", degraded.get(NoticeKind.HEALTH).detail());
    }

    @Test
    void aFailedPassIsAFailureOfTheAttemptedRevisionWhileTheAppliedOneRuns() {
        Map<NoticeKind, Notice> notices = byKind(Notices.of(StackStatus.unknown("shop"), status(StackStatus.Sync.OUT_OF_SYNC,
                StackStatus.Health.HEALTHY, OperationResult.FAILED, R1, R2, "services.web.image: required", List.of()), AT));

        Notice deploy = notices.get(NoticeKind.DEPLOY);
        assertEquals(Notices.FAILURE, deploy.state());
        assertEquals(R2, deploy.revision());
        assertEquals("services.web.image: required", deploy.detail());
        assertEquals("stack shop: revision 222222222222 failed", deploy.text());
        assertEquals(Notice.Level.WARNING, notices.get(NoticeKind.SYNC).level());
    }

    @Test
    void unknownAndRetryingSayNothingYet() {
        List<Notice> notices = Notices.of(StackStatus.unknown("shop"), status(StackStatus.Sync.UNKNOWN,
                StackStatus.Health.UNKNOWN, OperationResult.RETRYING, R1), AT);
        assertEquals(List.of(NoticeKind.REMEDY), notices.stream().map(Notice::kind).toList());
    }

    @Test
    void driftLeftAloneOrASuspendedStackJudgesNoRevision() {
        assertFalse(byKind(Notices.of(StackStatus.unknown("shop"), status(StackStatus.Sync.OUT_OF_SYNC,
                StackStatus.Health.HEALTHY, OperationResult.SUCCEEDED, R1), AT)).containsKey(NoticeKind.DEPLOY));
        assertFalse(byKind(Notices.of(StackStatus.unknown("shop"), status(StackStatus.Sync.SYNCED,
                StackStatus.Health.SUSPENDED, OperationResult.SUCCEEDED, R1), AT)).containsKey(NoticeKind.DEPLOY));
    }

    @Test
    void remediesTellRetriesAndGivingUpNotWaiting() {
        StackStatus.ServiceStatus waiting = new StackStatus.ServiceStatus("shop_web", 2, 0, "", List.of(),
                List.of(new RemedyStatus("network-not-found", RemedyStatus.WAITING, 0, 3, "no such network")));
        StackStatus.ServiceStatus retried = new StackStatus.ServiceStatus("shop_api", 1, 1, "", List.of(),
                List.of(new RemedyStatus("network-not-found", RemedyStatus.RETRIED, 1, 3, "")));
        StackStatus.ServiceStatus exhausted = new StackStatus.ServiceStatus("shop_db", 1, 0, "", List.of(),
                List.of(new RemedyStatus("network-not-found", RemedyStatus.EXHAUSTED, 3, 3, "no such network")));

        Notice some = byKind(Notices.of(StackStatus.unknown("shop"), status(StackStatus.Sync.SYNCED, StackStatus.Health.DEGRADED,
                OperationResult.SUCCEEDED, R1, R1, "", List.of(waiting, retried)), AT)).get(NoticeKind.REMEDY);
        assertEquals("shop_api: network-not-found retried (1/3)", some.state());
        assertEquals(Notice.Level.OK, some.level());

        Notice gaveUp = byKind(Notices.of(StackStatus.unknown("shop"), status(StackStatus.Sync.SYNCED, StackStatus.Health.DEGRADED,
                OperationResult.SUCCEEDED, R1, R1, "", List.of(retried, exhausted)), AT)).get(NoticeKind.REMEDY);
        assertEquals("shop_api: network-not-found retried (1/3); shop_db: network-not-found gave up after 3 retries",
                gaveUp.state());
        assertEquals(Notice.Level.FAILURE, gaveUp.level());

        StackStatus.ServiceStatus rebalanced = new StackStatus.ServiceStatus("shop_web", 4, 4, "completed", List.of(),
                List.of(new RemedyStatus("rebalance", RemedyStatus.REBALANCED, 1, 0, "", "node w2 returned")));
        assertEquals("shop_web: rebalance forced 1 update(s)", byKind(Notices.of(StackStatus.unknown("shop"),
                status(StackStatus.Sync.SYNCED, StackStatus.Health.HEALTHY, OperationResult.SUCCEEDED, R1, R1, "",
                        List.of(rebalanced)), AT)).get(NoticeKind.REMEDY).state(), "the rebalance has no most retries");
    }

    @Test
    void aRemovedStackIsPruned() {
        List<Notice> notices = Notices.of(status(StackStatus.Sync.SYNCED, StackStatus.Health.HEALTHY,
                OperationResult.SUCCEEDED, R1), null, AT);
        assertEquals(1, notices.size());
        assertEquals(NoticeKind.PRUNED, notices.get(0).kind());
        assertEquals(R1, notices.get(0).revision());
        assertFalse(NoticeKind.PRUNED.condition());
    }

    @Test
    void theSourceIsStaleOrCurrent() {
        Notice stale = Notices.source(new SourceStatus("git", "https://git.example/acme/deploy.git", "main", R1, AT, true, AT,
                "fetch failed: https://bot:hunter22@git.example/acme/deploy.git not found", true), AT);
        assertEquals("stale", stale.state());
        assertEquals(Notice.Level.FAILURE, stale.level());
        assertEquals("", stale.stack());
        // Credentials in a URL never reach a message, whoever put them there.
        assertEquals("fetch failed: https://git.example/acme/deploy.git not found", stale.detail());

        Notice current = Notices.source(new SourceStatus("git", null, "main", R2, AT, false, null, null, true), AT);
        assertEquals("current", current.state());
        assertEquals("the desired-state source is current at " + R2, current.text());
        assertEquals(Optional.of(""), Optional.of(current.detail()));
    }
}
