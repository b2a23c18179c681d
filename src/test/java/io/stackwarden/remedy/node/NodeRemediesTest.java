package io.stackwarden.remedy.node;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwarden.agent.ActionResult;
import io.stackwarden.agent.AgentAction;
import io.stackwarden.agent.LeftoverCandidate;
import io.stackwarden.reconcile.Ownership;
import io.stackwarden.remedy.RemedyInput;
import io.stackwarden.remedy.RemedyReport;
import io.stackwarden.remedy.RemedyStatus;
import io.stackwarden.support.ManualScheduler;
import io.stackwarden.swarm.FakeSwarm;
import io.stackwarden.swarm.StoppingTask;
import io.stackwarden.swarm.SwarmObject;
import io.stackwarden.swarm.TaskAddresses;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The node remedies' decisions on fakes of the swarm and the agents, with time moved by hand: when a stuck task's shim
 * is killed, when a leftover is removed, and what is never touched.
 */
class NodeRemediesTest {

    private static final Duration SCAN = Duration.ofSeconds(5);
    private static final Duration MARGIN = Duration.ofSeconds(30);
    private static final Duration GRACE = Duration.ofSeconds(10);
    private static final Duration LEFTOVER_GRACE = Duration.ofMinutes(2);
    private static final String C1 = "1".repeat(64);
    private static final String C2 = "2".repeat(64);
    private static final String C3 = "3".repeat(64);

    private final ManualScheduler scheduler = new ManualScheduler();
    private final FakeSwarm swarm = new FakeSwarm();
    private final FakeAgents agents = new FakeAgents();
    private final Set<String> managed = new HashSet<>(Set.of("shop"));
    private final List<String> counted = new ArrayList<>();
    private final List<String> changed = new ArrayList<>();
    private Optional<String> refusal = Optional.empty();
    private String app;
    private NodeRemedies remedies;

    @BeforeEach
    void setUp() {
        remedies = remedies(6);
        String agent = service("stackwarden_agent", "io.stackwarden.role", "agent");
        agentService = agent;
        app = service("shop_app", "com.docker.stack.namespace", "shop");
        agents.agentTasks.add(new TaskAddresses("agenttask1", agent, "w1", List.of("10.0.1.5")));
        agents.agentTasks.add(new TaskAddresses("agenttask2", agent, "w2", List.of("10.0.1.6")));
        remedies.start();
    }

    private String agentService;

    private NodeRemedies remedies(int actionsPerMinute) {
        FakeAgents fake = agents;
        return new NodeRemedies(new NodeRemedies.Ports(swarm, fake, new AgentDirectory(swarm, fake, AgentDirectory.AddressMode.OVERLAY,
                8091, Ownership::owned), fake), new NodeRemedies.Settings(SCAN, MARGIN, LEFTOVER_GRACE, actionsPerMinute, 3, "test"), scheduler,
                () -> refusal, () -> Set.copyOf(managed), "stackwarden"::equals, (remedy, outcome) -> counted.add(remedy + " " + outcome), changed::add);
    }

    private String service(String name, String labelKey, String labelValue) {
        ObjectNode spec = JsonNodeFactory.instance.objectNode().put("Name", name);
        spec.putObject("Labels").put(labelKey, labelValue);
        return swarm.create(SwarmObject.Kind.SERVICE, spec);
    }

    private StoppingTask stuckTask(String id, String container, String node, String stack) {
        return new StoppingTask(id, app, node, container, "shutdown", "running", Map.of("com.docker.stack.namespace", stack), GRACE);
    }

    private RemedyReport report(String stack) {
        return remedies.check(RemedyInput.of(stack, List.of()));
    }

    @Test
    void aStuckTaskHasItsShimKilledOnlyAfterItsStopGracePeriodAndTheMargin() {
        agents.stopping.add(stuckTask("task1", C1, "w1", "shop"));
        scheduler.advance(SCAN);
        assertEquals(List.of(), agents.calls, "first seen now: not yet");
        RemedyStatus waiting = report("shop").services().get("shop_app").get(0);
        assertEquals(new RemedyStatus(NodeRemedies.STUCK, "waiting", 0, 3, ""), waiting);
        assertEquals(List.of("shop"), changed, "the stack is told, so its status shows it");

        scheduler.advance(GRACE.plus(MARGIN).minus(SCAN));
        assertEquals(List.of(), agents.calls, "the grace period plus the margin is not over yet");
        scheduler.advance(SCAN);
        assertEquals(1, agents.calls.size());
        FakeAgents.Call call = agents.calls.get(0);
        assertEquals(URI.create("http://10.0.1.5:8091"), call.agent(), "the agent of the task's node, at its own address");
        assertEquals(AgentAction.KILL_SHIM, call.action());
        assertEquals("shop", call.request().stack());
        assertEquals(C1, call.request().container());
        assertEquals("task1", call.request().task());
        assertEquals("test", call.request().requester());
        assertTrue(call.request().reason().contains("stop grace period 10s and the margin 30s"), call.request().reason());
        assertEquals(List.of("stuck-task killed"), counted);
        assertEquals(new RemedyStatus(NodeRemedies.STUCK, "killed", 1, 3, "killed (pid 4242): done"),
                report("shop").services().get("shop_app").get(0));
        assertEquals(List.of("shop", "shop"), changed);

        agents.stopping.clear();
        scheduler.advance(SCAN);
        assertEquals(new RemedyStatus(NodeRemedies.STUCK, "killed", 1, 3, "killed (pid 4242): done"),
                report("shop").services().get("shop_app").get(0), "the task is gone; what was done stays shown");
        assertEquals(1, agents.calls.size());
        scheduler.advance(Duration.ofHours(1));
        assertEquals(RemedyReport.NONE, report("shop"), "for an hour");
    }

    @Test
    void aTaskOfAStackStackwardenDoesNotManageIsLeftAlone() {
        agents.stopping.add(stuckTask("task1", C1, "w1", "someone-elses"));
        agents.stopping.add(new StoppingTask("task2", app, "w1", C2, "shutdown", "running", Map.of(), GRACE));
        scheduler.advance(Duration.ofMinutes(10));
        assertEquals(List.of(), agents.calls);
        assertEquals(RemedyReport.NONE, report("someone-elses"));
    }

    @Test
    void aTaskThatStopsNormallyOrIsNotRunningIsNoStuckTask() {
        agents.stopping.add(new StoppingTask("task1", app, "w1", C1, "shutdown", "complete", Map.of("com.docker.stack.namespace",
                "shop"), GRACE));
        agents.stopping.add(new StoppingTask("task2", app, "", "", "remove", "running", Map.of("com.docker.stack.namespace",
                "shop"), GRACE));
        scheduler.advance(Duration.ofMinutes(10));
        assertEquals(List.of(), agents.calls);
    }

    @Test
    void nothingIsDoneWhileWritesAreRefusedAndTheRemedyResumesAfter() {
        agents.stopping.add(stuckTask("task1", C1, "w1", "shop"));
        refusal = Optional.of("quorum lost: 1 of 3 managers reachable");
        scheduler.advance(Duration.ofMinutes(5));
        assertEquals(List.of(), agents.calls, "no agent action while quorum is lost");
        refusal = Optional.empty();
        scheduler.advance(SCAN);
        assertEquals(List.of(), agents.calls, "first seen only now: the wait starts now");
        scheduler.advance(GRACE.plus(MARGIN));
        assertEquals(1, agents.calls.size());
    }

    @Test
    void aStandbysNodeRemediesDoNothingAndTheLeadersActOnceItLeads() {
        agents.stopping.add(stuckTask("task1", C1, "w1", "shop"));
        agents.containers.put("w1", List.of(new LeftoverCandidate(C2, "t".repeat(25), "g".repeat(25), "shop", "running")));
        refusal = Optional.of("standby: stackwarden on m2 leads");
        scheduler.advance(Duration.ofHours(1));
        assertEquals(List.of(), agents.calls, "a standby asks no agent to act");
        assertEquals(0, agents.listed, "nor for its containers");
        assertEquals(List.of(), counted);
        assertEquals(RemedyReport.NONE, report("shop"));

        refusal = Optional.empty();
        scheduler.advance(SCAN.plus(GRACE).plus(MARGIN));
        assertEquals(1, agents.calls(AgentAction.KILL_SHIM).size(), "acting now: the wait started when it first saw the task");
    }

    @Test
    void aLeaderThatStopsActingInTheMiddleOfAScanAsksNoAgentToAct() {
        agents.stopping.add(stuckTask("task1", C1, "w1", "shop"));
        scheduler.advance(SCAN.plus(GRACE).plus(MARGIN).minus(Duration.ofSeconds(1)));
        agents.beforeList = () -> refusal = Optional.of("standby: the lease was lost");
        scheduler.advance(SCAN);
        assertEquals(List.of(), agents.calls(AgentAction.KILL_SHIM), "the gate is asked again right before the action");
        assertTrue(String.join("; ", report("shop").notes()).contains("no action: standby: the lease was lost"),
                report("shop").notes().toString());
    }

    @Test
    void theStackStackwardenRunsInAndItsAgentsTasksAreNeverActedOn() {
        managed.add("stackwarden");
        agents.stopping.add(new StoppingTask("task1", agentService, "w1", C1, "shutdown", "running",
                Map.of("com.docker.stack.namespace", "shop"), GRACE));
        agents.stopping.add(stuckTask("task2", C2, "w2", "stackwarden"));
        agents.containers.put("w1", List.of(new LeftoverCandidate(C3, "t".repeat(25), "g".repeat(25), "stackwarden", "running")));
        scheduler.advance(Duration.ofHours(1));
        assertEquals(List.of(), agents.calls(AgentAction.KILL_SHIM));
        assertEquals(List.of(), agents.calls(AgentAction.REMOVE_LEFTOVER));
        assertEquals(RemedyReport.NONE, report("stackwarden"));
    }

    @Test
    void agentActionsAreRateLimitedAcrossTheSwarm() {
        remedies.stop();
        remedies = remedies(1);
        remedies.start();
        agents.stopping.add(stuckTask("task1", C1, "w1", "shop"));
        agents.stopping.add(stuckTask("task2", C2, "w2", "shop"));
        scheduler.advance(GRACE.plus(MARGIN).plus(SCAN));
        assertEquals(1, agents.calls.size(), "one action per minute");
        String held = String.join("; ", report("shop").notes());
        assertTrue(held.contains("held by the rate limit of 1 actions per minute"), held);
        scheduler.advance(Duration.ofMinutes(1));
        assertEquals(2, agents.calls.size());
    }

    @Test
    void aFailingKillIsTriedAgainAfterTheSameWaitThenLeftAloneAndReported() {
        agents.answer = call -> new ActionResult(ActionResult.Outcome.FAILED, "w1", C1, 0, "the helper container exited 1");
        agents.stopping.add(stuckTask("task1", C1, "w1", "shop"));
        Duration wait = GRACE.plus(MARGIN);
        scheduler.advance(SCAN.plus(wait));
        assertEquals(1, agents.calls.size());
        scheduler.advance(wait.minus(SCAN));
        assertEquals(1, agents.calls.size(), "not again at once");
        scheduler.advance(SCAN.plus(wait));
        assertEquals(3, agents.calls.size());
        scheduler.advance(Duration.ofMinutes(10));
        assertEquals(3, agents.calls.size(), "three attempts at most");
        assertEquals(List.of("stuck-task failed", "stuck-task failed", "stuck-task failed"), counted);
        assertEquals(new RemedyStatus(NodeRemedies.STUCK, "exhausted", 3, 3, "failed: the helper container exited 1"),
                report("shop").services().get("shop_app").get(0));
        assertTrue(report("shop").notes().get(0).endsWith("left alone"), report("shop").notes().toString());
    }

    @Test
    void anAgentThatDoesNotAnswerIsAFailedAttemptAndANodeWithoutAgentWaits() {
        agents.unavailable = true;
        agents.stopping.add(stuckTask("task1", C1, "w1", "shop"));
        agents.stopping.add(stuckTask("task2", C2, "w3", "shop"));
        scheduler.advance(SCAN.plus(GRACE).plus(MARGIN));
        assertEquals(1, agents.calls.size(), "only w1 has an agent");
        assertEquals(List.of("stuck-task failed"), counted);
        String notes = String.join("; ", report("shop").notes());
        assertTrue(notes.contains("no agent runs on node w3"), notes);
        assertTrue(notes.contains("Connection refused"), notes);
    }

    @Test
    void aLeftoverOfAManagedStackIsRemovedAfterItsGraceAndNoOtherContainer() {
        String gone = "g".repeat(25);
        agents.containers.put("w1", List.of(
                new LeftoverCandidate(C1, "t".repeat(25), gone, "shop", "running"),
                new LeftoverCandidate(C2, "u".repeat(25), app, "shop", "running"),
                new LeftoverCandidate(C3, "v".repeat(25), gone, "foreign", "running")));
        agents.containers.put("w2", List.of(new LeftoverCandidate("4".repeat(64), "task1", gone, "shop", "running")));
        agents.stopping.add(new StoppingTask("task1", gone, "w2", "4".repeat(64), "remove", "running",
                Map.of("com.docker.stack.namespace", "shop"), Duration.ofHours(1)));
        scheduler.advance(SCAN);
        assertTrue(String.join("; ", report("shop").notes()).contains("leftover container " + C1), report("shop").toString());
        scheduler.advance(LEFTOVER_GRACE.minus(SCAN));
        assertEquals(List.of(), agents.calls(AgentAction.REMOVE_LEFTOVER));
        scheduler.advance(SCAN);
        List<FakeAgents.Call> removals = agents.calls(AgentAction.REMOVE_LEFTOVER);
        assertEquals(1, removals.size(), "only the one whose service is gone and whose task swarm forgot: " + removals);
        assertEquals(C1, removals.get(0).request().container());
        assertEquals("shop", removals.get(0).request().stack());
        assertEquals("t".repeat(25), removals.get(0).request().task());
        assertEquals(List.of("leftover removed"), counted);
        scheduler.advance(Duration.ofHours(1));
        assertTrue(agents.calls(AgentAction.REMOVE_LEFTOVER).stream().noneMatch(call -> !call.request().container().equals(C1)),
                "the live service's container, the foreign one and the stuck task's are never removed");
    }

    @Test
    void theLeftoversOfAStackRemovedSinceAreStillRemoved() {
        scheduler.advance(SCAN);
        managed.clear();
        agents.containers.put("w1", List.of(new LeftoverCandidate(C1, "t".repeat(25), "g".repeat(25), "shop", "exited")));
        scheduler.advance(LEFTOVER_GRACE.plus(SCAN));
        assertEquals(1, agents.calls(AgentAction.REMOVE_LEFTOVER).size());
    }

    @Test
    void agentsAreFoundAtTheirNodesAddressInNodeMode() {
        agents.nodeAddresses.putAll(Map.of("w1", "172.31.254.21", "w2", "fd00::22"));
        AgentDirectory directory = new AgentDirectory(swarm, agents, AgentDirectory.AddressMode.NODE, 8091, Ownership::owned);
        assertEquals(Map.of("w1", URI.create("http://172.31.254.21:8091"), "w2", URI.create("http://[fd00::22]:8091")),
                directory.agents());
        assertEquals(Map.of("w1", URI.create("http://10.0.1.5:8091"), "w2", URI.create("http://10.0.1.6:8091")),
                new AgentDirectory(swarm, agents, AgentDirectory.AddressMode.OVERLAY, 8091, Ownership::owned).agents());
    }

    @Test
    void aServiceStackwardenDeployedIsNeverAnAgentWhateverItsLabels() {
        ObjectNode spec = JsonNodeFactory.instance.objectNode().put("Name", "shop_fake");
        spec.putObject("Labels").put("io.stackwarden.role", "agent").put("com.docker.stack.namespace", "shop")
                .put(Ownership.MANAGED_BY, Ownership.MANAGED_BY_VALUE);
        String fake = swarm.create(SwarmObject.Kind.SERVICE, spec);
        agents.agentTasks.add(new TaskAddresses("faketask", fake, "w3", List.of("10.0.9.9")));
        agents.stopping.add(stuckTask("task1", C1, "w3", "shop"));
        scheduler.advance(GRACE.plus(MARGIN).plus(SCAN.multipliedBy(2)));
        assertEquals(Map.of("w1", URI.create("http://10.0.1.5:8091"), "w2", URI.create("http://10.0.1.6:8091")),
                new AgentDirectory(swarm, agents, AgentDirectory.AddressMode.OVERLAY, 8091, Ownership::owned).agents(),
                "a stack from the repository that labels its service as an agent is not one");
        assertTrue(agents.calls.stream().noneMatch(call -> call.agent().getHost().equals("10.0.9.9")),
                "nothing, and so never the agent token, is sent to it");
    }
}
