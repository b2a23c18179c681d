package io.stackwarden.remedy;

import io.stackwarden.compose.engine.StackLabels;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwarden.reconcile.Ownership;
import io.stackwarden.support.Backoff;
import io.stackwarden.support.ManualClock;
import io.stackwarden.swarm.CountingSwarmEngine;
import io.stackwarden.swarm.FakeSwarm;
import io.stackwarden.swarm.ServiceTasks;
import io.stackwarden.swarm.SwarmObject;
import io.stackwarden.swarm.TaskInfo;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Detection, backoff, bound and the words in status of the network-not-found remedy, on the fake swarm. */
class NetworkNotFoundRemedyTest {

    private final ManualClock clock = new ManualClock();
    private final FakeSwarm swarm = new FakeSwarm();
    private final CountingSwarmEngine engine = new CountingSwarmEngine(swarm);
    private final AtomicInteger counted = new AtomicInteger();
    /** Backoff without jitter: 2 s, 4 s, 8 s. */
    private final NetworkNotFoundRemedy remedy = new NetworkNotFoundRemedy(engine,
            new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(30), () -> 1.0), 3, clock, counted::incrementAndGet);
    private int taskNumber;

    NetworkNotFoundRemedyTest() {
        swarm.clock = clock::instant;
        ObjectNode spec = new ObjectMapper().createObjectNode().put("Name", "s_web");
        spec.putObject("Labels").put(StackLabels.NAMESPACE, "s");
        spec.putObject("TaskTemplate").putObject("ContainerSpec").put("Image", "app:1");
        swarm.create(SwarmObject.Kind.SERVICE, spec);
    }

    /** The service's tasks from now on: one that ended in {@code state} with {@code error}, {@code ago} before now. */
    private void taskEnded(String state, String error, Duration ago) {
        String service = swarm.find(SwarmObject.Kind.SERVICE, "s_web").orElseThrow().id();
        swarm.tasks.put("s_web", List.of(new TaskInfo("t" + ++taskNumber, service, "w1", "1", "shutdown", state, error,
                "", clock.instant().minus(ago))));
    }

    private long forceUpdate() {
        return swarm.find(SwarmObject.Kind.SERVICE, "s_web").orElseThrow().spec().at("/TaskTemplate/ForceUpdate").asLong(0);
    }

    private List<ServiceTasks> read() {
        return ServiceTasks.read(swarm, StackLabels.NAMESPACE, "s");
    }

    private RemedyReport check() {
        engine.reset();
        return remedy.check("s", read());
    }

    @Test
    void aTaskThatFailedForItsNetworkIsRetriedWithAForcedUpdateAfterTheBackoff() {
        clock.advance(Duration.ofSeconds(1));
        taskEnded("rejected", "network s_back not found", Duration.ZERO);

        RemedyReport seen = check();
        assertTrue(seen.pending());
        assertEquals(List.of("service s_web: tasks failed with 'network s_back not found'; retry 1/3 in 2s"), seen.notes());
        assertEquals(List.of(), engine.writes(), "no retry before the backoff");

        clock.advance(Duration.ofSeconds(1));
        assertTrue(check().pending());
        assertEquals(List.of(), engine.writes());

        clock.advance(Duration.ofSeconds(1));
        RemedyReport retried = check();
        assertEquals(List.of("update service s_web"), engine.writes());
        assertEquals(1, forceUpdate());
        assertEquals(1, counted.get());
        assertTrue(retried.pending(), "a look again soon, to see the retry's tasks");
        assertEquals(List.of("retried service s_web after 'network s_back not found' (1/3)"), retried.notes());
    }

    @Test
    void everyWordingOfTheEngineIsRecognisedAndNothingElse() {
        for (String error : List.of("network 7xq1fz8m2k not found", "No such network: s_back",
                "could not find network s_back", "starting container failed: network s_back not found")) {
            clock.advance(Duration.ofMinutes(1));
            taskEnded("failed", error, Duration.ZERO);
            assertTrue(check().pending(), error);
        }
        NetworkNotFoundRemedy other = new NetworkNotFoundRemedy(engine, new Backoff(Duration.ofSeconds(2),
                Duration.ofSeconds(30), () -> 1.0), 3, clock, counted::incrementAndGet);
        for (String error : List.of("task: non-zero exit (1)", "No such image: app:1", "node is missing network attachments")) {
            taskEnded("failed", error, Duration.ZERO);
            assertEquals(RemedyReport.NONE, other.check("s", read()), error);
        }
        taskEnded("running", "", Duration.ZERO);
        assertEquals(RemedyReport.NONE, other.check("s", read()));
    }

    @Test
    void atMostThreeRetriesPerSpecThenANewSpecStartsAgain() {
        for (int retry = 1; retry <= 3; retry++) {
            clock.advance(Duration.ofSeconds(1));
            taskEnded("rejected", "network s_back not found", Duration.ZERO);
            check();
            clock.advance(Duration.ofSeconds(30));
            check();
            assertEquals(List.of("update service s_web"), engine.writes(), "retry " + retry);
        }
        assertEquals(3, forceUpdate());
        clock.advance(Duration.ofSeconds(1));
        taskEnded("rejected", "network s_back not found", Duration.ZERO);
        clock.advance(Duration.ofMinutes(10));
        RemedyReport exhausted = check();
        assertEquals(List.of(), engine.writes());
        assertFalse(exhausted.pending());
        assertEquals(List.of("service s_web: tasks still fail with 'network s_back not found' after 3 retries;"
                + " not retried again until its spec changes"), exhausted.notes());

        swarm.tamper(SwarmObject.Kind.SERVICE, "s_web", spec -> spec.with("TaskTemplate").with("ContainerSpec").put("Image", "app:2"));
        clock.advance(Duration.ofSeconds(1));
        taskEnded("rejected", "network s_back not found", Duration.ZERO);
        assertEquals(List.of("service s_web: tasks failed with 'network s_back not found'; retry 1/3 in 2s"), check().notes());
    }

    /** The counts are saved with the stack's state: a restarted instance or a new leader goes on where this one was. */
    @Test
    void theCountsGoOnInTheNextInstanceThatRestoresThem() {
        for (int retry = 1; retry <= 2; retry++) {
            clock.advance(Duration.ofSeconds(1));
            taskEnded("rejected", "network s_back not found", Duration.ZERO);
            check();
            clock.advance(Duration.ofSeconds(30));
            check();
        }
        String service = swarm.find(SwarmObject.Kind.SERVICE, "s_web").orElseThrow().id();
        Map<String, Retries.Count> saved = remedy.retries().get(NetworkNotFoundRemedy.NAME).counts("s");
        assertEquals(2, saved.get(service).retries());

        NetworkNotFoundRemedy next = new NetworkNotFoundRemedy(engine, new Backoff(Duration.ofSeconds(2),
                Duration.ofSeconds(30), () -> 1.0), 3, clock, counted::incrementAndGet);
        next.retries().get(NetworkNotFoundRemedy.NAME).restore("s", saved);
        clock.advance(Duration.ofSeconds(1));
        taskEnded("rejected", "network s_back not found", Duration.ZERO);
        next.check("s", read());
        clock.advance(Duration.ofSeconds(30));
        engine.reset();
        assertTrue(next.check("s", read()).notes().get(0).endsWith("(3/3)"), "the third retry, not a first");
        assertEquals(List.of("update service s_web"), engine.writes());
        clock.advance(Duration.ofSeconds(1));
        taskEnded("rejected", "network s_back not found", Duration.ZERO);
        clock.advance(Duration.ofMinutes(10));
        engine.reset();
        assertTrue(next.check("s", read()).notes().get(0).contains("after 3 retries"), "exhausted across the restart");
        assertEquals(List.of(), engine.writes());

        next.retries().get(NetworkNotFoundRemedy.NAME).restore("s", Map.of(service, new Retries.Count("another spec", 3)));
        clock.advance(Duration.ofSeconds(1));
        taskEnded("rejected", "network s_back not found", Duration.ZERO);
        assertTrue(next.check("s", read()).notes().get(0).contains("retry 1/3"), "a saved count of another spec does not hold");
    }

    @Test
    void failuresFromBeforeTheServiceWasLastWrittenAreNeverRetried() {
        clock.advance(Duration.ofSeconds(10));
        taskEnded("rejected", "network s_back not found", Duration.ofSeconds(11)); // before the service was created
        assertEquals(RemedyReport.NONE, check());
        assertEquals(List.of(), engine.writes());

        // The failure that led to a retry is older than the retry: once made, it causes no second one.
        taskEnded("rejected", "network s_back not found", Duration.ZERO);
        check();
        clock.advance(Duration.ofSeconds(2));
        check();
        assertEquals(List.of("update service s_web"), engine.writes());
        clock.advance(Duration.ofMinutes(5));
        RemedyReport after = check();
        assertEquals(List.of(), engine.writes());
        assertFalse(after.pending());
        assertEquals(List.of("retried service s_web after a network-not-found failure (1/3)"), after.notes());
    }

    @Test
    void aRetryWaitsWhileTheServicesOwnUpdateOrRollbackIsUnderWay() {
        clock.advance(Duration.ofSeconds(1));
        taskEnded("rejected", "network s_back not found", Duration.ZERO);
        swarm.rolloutState("s_web", "updating"); // someone's docker service update, still rolling
        check();
        clock.advance(Duration.ofSeconds(30));
        RemedyReport updating = check();
        assertEquals(List.of(), engine.writes(), "a forced update would restart the rollout");
        assertTrue(updating.pending());
        assertEquals(List.of("service s_web: tasks failed with 'network s_back not found'; retry 1/3 once its update ends"),
                updating.notes());

        swarm.rolloutState("s_web", "rollback_started");
        assertEquals(List.of("service s_web: tasks failed with 'network s_back not found'; retry 1/3 once its rollback ends"),
                check().notes());
        assertEquals(List.of(), engine.writes());

        swarm.rolloutState("s_web", "rollback_completed");
        check();
        assertEquals(List.of("update service s_web"), engine.writes(), "retried once the rollout ended");
    }

    @Test
    void theReportGivesEachServicesStateForTheStatus() {
        clock.advance(Duration.ofSeconds(1));
        taskEnded("rejected", "network s_back not found", Duration.ZERO);
        assertEquals(Map.of("s_web", List.of(new RemedyStatus(NetworkNotFoundRemedy.NAME, RemedyStatus.WAITING, 0, 3,
                "network s_back not found"))), check().services());
        clock.advance(Duration.ofSeconds(2));
        assertEquals(new RemedyStatus(NetworkNotFoundRemedy.NAME, RemedyStatus.RETRIED, 1, 3, "network s_back not found"),
                check().services().get("s_web").get(0));
        clock.advance(Duration.ofMinutes(1));
        assertEquals(new RemedyStatus(NetworkNotFoundRemedy.NAME, RemedyStatus.RETRIED, 1, 3, ""),
                check().services().get("s_web").get(0), "no failure since the retry");
        for (int retry = 2; retry <= 3; retry++) {
            clock.advance(Duration.ofSeconds(1));
            taskEnded("rejected", "network s_back not found", Duration.ZERO);
            check();
            clock.advance(Duration.ofSeconds(30));
            check();
        }
        clock.advance(Duration.ofSeconds(1));
        taskEnded("failed", "network s_back not found", Duration.ZERO);
        assertEquals(new RemedyStatus(NetworkNotFoundRemedy.NAME, RemedyStatus.EXHAUSTED, 3, 3, "network s_back not found"),
                check().services().get("s_web").get(0));
    }
}
