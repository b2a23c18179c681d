package io.stackwarden.remedy;

import io.stackwarden.support.Backoff;
import io.stackwarden.swarm.SwarmObject;
import io.stackwarden.swarm.TaskInfo;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.stackwarden.remedy.RemedyFixture.node;
import static io.stackwarden.remedy.RemedyFixture.nodes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The completion of global services on the fake swarm: what is reported, when a retry is made, when it gives up. */
class GlobalCompletionTest {

    private static final String NO_IMAGE = "No such image: app:1";
    private final RemedyFixture lab = new RemedyFixture();
    /** Backoff without jitter: 30 s, 60 s, 120 s. */
    private final GlobalCompletion remedy = new GlobalCompletion(lab.engine, lab.nodes,
            new Backoff(Duration.ofSeconds(30), Duration.ofMinutes(4), () -> 1.0), 3, lab.clock, lab::count);
    private Optional<String> refusal = Optional.empty();
    private String serviceId;

    GlobalCompletionTest() {
        lab.nodes.seen(nodes());
        serviceId = lab.service("s_agent", 0, spec -> { });
    }

    private RemedyReport check() {
        return remedy.check(new RemedyInput("s", lab.read(), java.util.Set.of(), () -> refusal));
    }

    /** Tasks running on m1 and w1; on w2, {@code w2} (none: no task there at all). */
    private void tasks(TaskInfo... w2) {
        List<TaskInfo> tasks = new ArrayList<>(List.of(lab.task(serviceId, "m1", "running", "running", ""),
                lab.task(serviceId, "w1", "running", "running", "")));
        tasks.addAll(List.of(w2));
        lab.swarm.tasks.put("s_agent", tasks);
    }

    /** Swarm gave up on w2: its tasks there were rejected and shut down, none is on its way. */
    private void gaveUpOnW2() {
        tasks(lab.task(serviceId, "w2", "shutdown", "rejected", NO_IMAGE), lab.task(serviceId, "w2", "shutdown", "rejected", NO_IMAGE));
    }

    private RemedyStatus status(RemedyReport report) {
        return report.services().get("s_agent").get(0);
    }

    @Test
    void aNodeWithoutItsTaskIsReportedThenRetriedAfterTheBackoff() {
        gaveUpOnW2();
        RemedyReport seen = check();
        assertEquals(new RemedyStatus(GlobalCompletion.NAME, RemedyStatus.WAITING, 0, 3, NO_IMAGE,
                "no running task on w2 (" + NO_IMAGE + "); retry 1/3 in 30s"), status(seen));
        assertTrue(seen.pending());
        assertEquals(List.of(), lab.engine.writes());

        lab.clock.advance(Duration.ofSeconds(30));
        RemedyReport retried = check();
        assertEquals(List.of("update service s_agent"), lab.engine.writes());
        assertEquals(1, lab.forceUpdate("s_agent"));
        assertEquals(List.of("global-complete applied"), lab.counted);
        assertEquals("retried global service s_agent: no running task on w2 (" + NO_IMAGE + ") (1/3)", retried.notes().get(0));

        tasks(lab.task(serviceId, "w2", "running", "running", ""));
        assertEquals(new RemedyStatus(GlobalCompletion.NAME, RemedyStatus.RETRIED, 1, 3, "", "a task runs on every eligible node"),
                status(check()));
        assertFalse(check().pending());
    }

    @Test
    void whileSwarmStartsOrRestartsATaskThereItOnlyReports() {
        tasks(lab.task(serviceId, "w2", "running", "preparing", ""));
        RemedyReport starting = check();
        assertTrue(starting.pending(), "looked at again soon");
        assertTrue(starting.services().isEmpty(), "a task on its way and nothing failed is progress, not a gap");

        tasks(lab.task(serviceId, "w2", "shutdown", "rejected", NO_IMAGE), lab.task(serviceId, "w2", "ready", "new", ""));
        lab.clock.advance(Duration.ofMinutes(5));
        RemedyReport restarting = check();
        assertEquals("no running task on w2 (starting); Swarm is starting a task there", status(restarting).detail());
        assertEquals(NO_IMAGE, status(restarting).lastError());
        assertEquals(List.of(), lab.engine.writes(), "Swarm still tries by itself");
    }

    @Test
    void nodesThatTakeNoTaskAreNoGap() {
        lab.nodes.seen(nodes(node("w2", "ready", "drain")));
        tasks();
        assertEquals(RemedyReport.NONE, check());
        lab.nodes.seen(nodes(node("w2", "down", "active")));
        assertEquals(RemedyReport.NONE, check());
        lab.nodes.seen(nodes());
        lab.swarm.tamper(SwarmObject.Kind.SERVICE, "s_agent", spec -> spec.with("TaskTemplate").with("Placement")
                .putArray("Constraints").add("node.hostname!=w2"));
        assertEquals(RemedyReport.NONE, check(), "outside the constraints");
    }

    @Test
    void afterMaxRetriesItReportsTheErrorAndLeavesItUntilTheSpecChanges() {
        gaveUpOnW2();
        for (int retry = 1; retry <= 3; retry++) {
            check();
            lab.clock.advance(Duration.ofMinutes(4));
            check();
            assertEquals(retry, lab.forceUpdate("s_agent"));
        }
        RemedyReport exhausted = check();
        assertEquals(new RemedyStatus(GlobalCompletion.NAME, RemedyStatus.EXHAUSTED, 3, 3, NO_IMAGE,
                "no running task on w2 (" + NO_IMAGE + ")"), status(exhausted));
        assertFalse(exhausted.pending());
        lab.clock.advance(Duration.ofHours(1));
        check();
        assertEquals(3, lab.engine.writes().size());
        assertEquals(List.of("global-complete applied", "global-complete applied", "global-complete applied",
                "global-complete exhausted"), lab.counted, "given up once");

        lab.swarm.tamper(SwarmObject.Kind.SERVICE, "s_agent", spec -> spec.with("TaskTemplate").with("ContainerSpec")
                .put("Image", "app:2"));
        assertEquals(RemedyStatus.WAITING, status(check()).state(), "a new spec starts the count again");
    }

    @Test
    void neverDuringItsRolloutNorWhileWritesAreRefused() {
        gaveUpOnW2();
        lab.swarm.rolloutState("s_agent", "updating", lab.clock.instant());
        lab.clock.advance(Duration.ofMinutes(5));
        assertEquals("no running task on w2 (" + NO_IMAGE + "); its update is not finished", status(check()).detail());
        lab.swarm.rolloutState("s_agent", "completed", lab.clock.instant());
        check();
        lab.clock.advance(Duration.ofSeconds(30));
        refusal = Optional.of("quorum lost");
        assertTrue(status(check()).detail().endsWith("; no write: quorum lost"));
        assertEquals(List.of(), lab.engine.writes());
        refusal = Optional.empty();
        check();
        assertEquals(List.of("update service s_agent"), lab.engine.writes());
    }

    @Test
    void replicatedServicesAreNotItsBusiness() {
        lab.service("s_web", 2, spec -> { });
        lab.running("s_web", List.of("m1", "w1", "w2"), 1, 1, 0);
        tasks(lab.task(serviceId, "w2", "running", "running", ""));
        assertEquals(RemedyReport.NONE, check());
    }

    @Test
    void aNodeWithNoTaskAtAllIsAGapOnlyOnceSwarmHadTimeToCreateIt() {
        tasks();
        RemedyReport fresh = check();
        assertTrue(fresh.services().isEmpty(), "just written: Swarm is still creating the tasks");
        assertTrue(fresh.pending());
        lab.clock.advance(GlobalCompletion.NEW_TASKS);
        assertEquals("no running task on w2 (no task); retry 1/3 in 30s", status(check()).detail());
        lab.clock.advance(Duration.ofSeconds(30));
        check();
        assertEquals(List.of("update service s_agent"), lab.engine.writes());
    }
}
