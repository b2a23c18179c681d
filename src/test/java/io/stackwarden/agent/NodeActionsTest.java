package io.stackwarden.agent;

import io.stackwarden.agent.ActionResult.Outcome;
import io.stackwarden.swarm.EngineException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The agent's checks before each action, and the typed outcome of each, on a fake engine. */
class NodeActionsTest {

    static final String ID = "a".repeat(64);
    static final String OTHER_ID = "b".repeat(64);
    static final String TASK = "t".repeat(25);
    private static final Map<String, String> SHOP_TASK = Map.of("com.docker.stack.namespace", "shop",
            NodeActions.TASK_LABEL, TASK, NodeActions.SERVICE_LABEL, "s".repeat(25));

    private final FakeNodeEngine engine = new FakeNodeEngine();
    /** The condition is asked once: the fake's state is final by then, and nothing here waits. */
    private final NodeActions actions = new NodeActions(engine, (bound, condition) -> condition.getAsBoolean(),
            Duration.ofSeconds(30));

    private static ActionRequest request(String stack, String container, String task) {
        return new ActionRequest(stack, container, task, "stuck for 40s", "test");
    }

    @Test
    void aRunningContainerOfTheNamedStackAndTaskHasItsShimKilled() {
        engine.add(ID, true, SHOP_TASK);
        ActionResult result = actions.killShim(request("shop", ID, TASK));
        assertEquals(new ActionResult(Outcome.KILLED, "node1", ID, 4242, "shim killed; the engine reports the container ended"),
                result);
        assertEquals(List.of(ID), engine.killed);
    }

    @Test
    void aContainerOfAnotherStackIsRefusedAndLeftAlone() {
        engine.add(ID, true, Map.of("com.docker.stack.namespace", "other", NodeActions.TASK_LABEL, TASK));
        ActionResult kill = actions.killShim(request("shop", ID, TASK));
        ActionResult remove = actions.removeLeftover(request("shop", ID, TASK));
        assertEquals(Outcome.REFUSED, kill.outcome());
        assertEquals("the container is not of stack shop", kill.detail());
        assertEquals(Outcome.REFUSED, remove.outcome());
        assertTrue(engine.killed.isEmpty() && engine.removed.isEmpty(), "nothing done");
    }

    @Test
    void aContainerOfAnotherTaskOrOfNoTaskIsRefused() {
        engine.add(ID, true, Map.of("com.docker.stack.namespace", "shop", NodeActions.TASK_LABEL, "u".repeat(25)));
        engine.add(OTHER_ID, true, Map.of("com.docker.stack.namespace", "shop"));
        assertEquals(Outcome.REFUSED, actions.killShim(request("shop", ID, TASK)).outcome());
        ActionResult noTask = actions.removeLeftover(request("shop", OTHER_ID, TASK));
        assertEquals(Outcome.REFUSED, noTask.outcome());
        assertEquals("the container is not of task " + TASK + " (it is no swarm task's)", noTask.detail());
        assertTrue(engine.killed.isEmpty() && engine.removed.isEmpty(), "nothing done");
    }

    @Test
    void malformedRequestsAreRefusedBeforeTheEngineIsAsked() {
        engine.add(ID, true, SHOP_TASK);
        for (ActionRequest bad : List.of(request("shop", ID.substring(0, 12), TASK), request("shop", ID.toUpperCase(), TASK),
                request("shop", null, TASK), request("shop", ID, "short"), request("shop", ID, null), request("", ID, TASK),
                request(null, ID, TASK))) {
            ActionResult result = actions.killShim(bad);
            assertEquals(Outcome.REFUSED, result.outcome(), bad.toString());
            assertTrue(ID.equals(result.container()) || result.container().isEmpty(), "only a full ID is echoed: " + result);
        }
        assertTrue(engine.killed.isEmpty());
    }

    @Test
    void aContainerThatNoLongerRunsIsNotStuckAnymore() {
        engine.add(ID, false, SHOP_TASK);
        ActionResult result = actions.killShim(request("shop", ID, TASK));
        assertEquals(Outcome.NOT_STUCK_ANYMORE, result.outcome());
        assertEquals("the container is exited", result.detail());
        assertTrue(engine.killed.isEmpty());
    }

    @Test
    void anUnknownContainerOrOneWithoutShimIsNotFound() {
        assertEquals(Outcome.NOT_FOUND, actions.killShim(request("shop", ID, TASK)).outcome());
        assertEquals(Outcome.NOT_FOUND, actions.removeLeftover(request("shop", ID, TASK)).outcome());
        engine.add(ID, true, SHOP_TASK);
        engine.helper = new NodeEngine.HelperRun(ShimKill.NO_SHIM, "no containerd-shim-runc-v2 process with -id " + ID);
        assertEquals(Outcome.NOT_FOUND, actions.killShim(request("shop", ID, TASK)).outcome());
    }

    @Test
    void aHelperThatFailsOrAContainerThatKeepsRunningIsAFailureWithTheReason() {
        engine.add(ID, true, SHOP_TASK);
        engine.helper = new NodeEngine.HelperRun(1, "pid 77 did not end after SIGKILL\n");
        ActionResult failed = actions.killShim(request("shop", ID, TASK));
        assertEquals(new ActionResult(Outcome.FAILED, "node1", ID, 0, "the helper container exited 1: pid 77 did not end after SIGKILL"),
                failed);
        engine.helper = new NodeEngine.HelperRun(ShimKill.KILLED, "killed 4242\n");
        engine.shimKillEndsContainer = false;
        ActionResult still = actions.killShim(request("shop", ID, TASK));
        assertEquals(Outcome.FAILED, still.outcome());
        assertEquals(4242, still.pid());
        assertEquals("shim killed, but the engine still reports the container running after 30s", still.detail());
    }

    @Test
    void anEngineErrorIsAFailureNotAnException() {
        NodeActions broken = new NodeActions(new FakeNodeEngine() {
            @Override
            public Optional<Container> container(String id) {
                throw new EngineException(0, "GET /containers: engine did not answer", null);
            }
        }, (bound, condition) -> condition.getAsBoolean(), Duration.ofSeconds(1));
        ActionResult result = broken.removeLeftover(request("shop", ID, TASK));
        assertEquals(Outcome.FAILED, result.outcome());
        assertEquals("GET /containers: engine did not answer", result.detail());
    }

    @Test
    void aLeftoverOfTheNamedStackIsRemoved() {
        engine.add(ID, false, SHOP_TASK);
        assertEquals(Outcome.REMOVED, actions.removeLeftover(request("shop", ID, TASK)).outcome());
        assertEquals(List.of(ID), engine.removed);
    }

    @Test
    void candidatesAreTheTaskContainersOfTheNamedStacksOnly() {
        engine.add(ID, true, SHOP_TASK);
        engine.add(OTHER_ID, true, Map.of("com.docker.stack.namespace", "other", NodeActions.TASK_LABEL, TASK));
        engine.add("c".repeat(64), false, Map.of("com.docker.stack.namespace", "shop"));
        engine.add("d".repeat(64), true, Map.of());
        Candidates candidates = actions.candidates(new CandidatesRequest(List.of("shop"), "test"));
        assertEquals(new Candidates("node1", List.of(new LeftoverCandidate(ID, TASK, "s".repeat(25), "shop", "running"))),
                candidates);
        assertEquals(List.of(), actions.candidates(new CandidatesRequest(null, "test")).containers());
    }
}
