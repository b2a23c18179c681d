package io.stackwarden.remedy;

import io.stackwarden.swarm.SwarmObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.stackwarden.remedy.RemedyFixture.node;
import static io.stackwarden.remedy.RemedyFixture.nodes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rebalance's decisions on the fake swarm: when a node returns, which services get a forced update, and when not. */
class RebalancerTest {

    private static final List<String> NODES = List.of("m1", "w1", "w2");
    private final RemedyFixture lab = new RemedyFixture();
    private final Rebalancer rebalancer = new Rebalancer(lab.engine, lab.nodes, lab.clock, Duration.ofMinutes(10),
            Duration.ofMinutes(5), lab::count);
    private Optional<String> refusal = Optional.empty();

    private RemedyReport check(String... optedIn) {
        return rebalancer.check(new RemedyInput("s", lab.read(), Set.of(optedIn), () -> refusal));
    }

    /** The nodes as read first, then w2 down (its tasks moved), then w2 back: a return. */
    private void w2LeavesAndReturns() {
        lab.nodes.seen(nodes(node("w2", "down", "active")));
        lab.clock.advance(Duration.ofSeconds(30));
        lab.nodes.seen(nodes());
    }

    /** A 4-replica service on m1 and w1 only, known to the rebalance before w2 returns. */
    private void unevenWeb(String... optedIn) {
        lab.service("s_web", 4, spec -> { });
        lab.running("s_web", NODES, 2, 2, 0);
        lab.nodes.seen(nodes());
        check(optedIn);
        lab.clock.advance(Duration.ofSeconds(1));
    }

    @Test
    void aReturningNodeGetsItsShareOfAnOptedInServiceThroughOneForcedUpdate() {
        unevenWeb("s_web");
        assertEquals(RemedyReport.NONE, check("s_web"), "no return yet: nothing to do");
        w2LeavesAndReturns();

        RemedyReport report = check("s_web");
        assertEquals(List.of("update service s_web"), lab.engine.writes());
        assertEquals(1, lab.forceUpdate("s_web"), "docker service update --force");
        assertEquals(List.of("rebalance applied"), lab.counted);
        assertEquals(List.of(new RemedyStatus(Rebalancer.NAME, RemedyStatus.REBALANCED, 1, 0, "",
                "node w2 returned; tasks per node were m1=2 w1=2 w2=0")), report.services().get("s_web"));
        assertTrue(report.notes().get(0).startsWith("rebalanced service s_web after node w2 returned"), report.notes().toString());

        check("s_web");
        assertEquals(1, lab.engine.writes().size(), "once per return, even while the tasks still move");
        assertEquals(RemedyStatus.REBALANCED, check("s_web").services().get("s_web").get(0).state(), "the status keeps it");
    }

    @Test
    void anOptedOutServiceStaysWhereItIs() {
        unevenWeb();
        w2LeavesAndReturns();
        assertEquals(RemedyReport.NONE, check());
        assertEquals(List.of(), lab.engine.writes());
    }

    @Test
    void aServiceSpreadAsEvenlyAsItsReplicasAllowIsLeftAlone() {
        lab.service("s_web", 4, spec -> { });
        lab.running("s_web", NODES, 2, 1, 1);
        lab.nodes.seen(nodes());
        check("s_web");
        w2LeavesAndReturns();
        assertEquals(RemedyReport.NONE, check("s_web"));
        lab.running("s_web", NODES, 2, 2, 0);
        assertEquals(List.of(), lab.engine.writes(), "that return was dealt with: uneven later waits for the next one");
        assertFalse(check("s_web").pending());
    }

    @Test
    void nodesPresentAtTheFirstReadAreNoReturn() {
        lab.service("s_web", 4, spec -> { });
        lab.running("s_web", NODES, 2, 2, 0);
        lab.nodes.seen(nodes(node("w2", "down", "active")));
        check("s_web");
        assertEquals(Optional.empty(), lab.nodes.latestReturn());
        lab.clock.advance(Duration.ofSeconds(1));
        lab.nodes.seen(nodes(node("w2", "ready", "drain")));
        assertEquals(Optional.empty(), lab.nodes.latestReturn(), "ready but drained takes no tasks");
        lab.nodes.seen(nodes());
        assertEquals("w2", lab.nodes.latestReturn().orElseThrow().node(), "drained to active is a return");
        List<io.stackwarden.swarm.NodeInfo> joined = new java.util.ArrayList<>(nodes());
        joined.add(RemedyFixture.ready("w3"));
        lab.nodes.seen(joined);
        assertEquals("w3", lab.nodes.latestReturn().orElseThrow().node(), "a node that joins later counts as one");
        lab.nodes.seen(nodes());
        check("s_web");
        assertEquals(List.of("update service s_web"), lab.engine.writes());
    }

    @Test
    void safetyLimitsKeepServicesWhereTheyAre() {
        Map<String, String> skipped = Map.of(
                "s_pinned", "pinned to one node (node.hostname == m1)",
                "s_bind", "its data stays on its node (bind mount /srv/data)",
                "s_volume", "its data stays on its node (local volume s_data)",
                "s_spread", "placement preferences spread it over node labels, not over nodes",
                "s_workers", "one eligible node only (w1)");
        lab.service("s_pinned", 4, spec -> constraint(spec, "node.hostname == m1"));
        lab.service("s_bind", 4, spec -> mount(spec, "bind", "/srv/data", ""));
        lab.service("s_volume", 4, spec -> mount(spec, "volume", "s_data", "local"));
        lab.service("s_spread", 4, spec -> spec.with("TaskTemplate").with("Placement").putArray("Preferences")
                .addObject().putObject("Spread").put("SpreadDescriptor", "node.labels.zone"));
        lab.service("s_workers", 4, spec -> {
            constraint(spec, "node.role==worker");
            constraint(spec, "node.hostname!=w2");
        });
        lab.service("s_global", 0, spec -> { });
        for (String service : List.of("s_pinned", "s_bind", "s_volume", "s_spread", "s_workers", "s_global")) {
            lab.running(service, NODES, 2, 2, 0);
        }
        String[] all = {"s_pinned", "s_bind", "s_volume", "s_spread", "s_workers", "s_global"};
        lab.nodes.seen(nodes(node("w2", "down", "active")));
        check(all);
        lab.clock.advance(Duration.ofSeconds(1));
        lab.nodes.seen(nodes(node("w2", "ready", "pause")));
        lab.nodes.seen(nodes());

        RemedyReport report = check(all);
        assertEquals(List.of(), lab.engine.writes());
        skipped.forEach((service, why) -> {
            RemedyStatus status = report.services().get(service).get(0);
            assertEquals(RemedyStatus.SKIPPED, status.state(), service);
            assertTrue(status.detail().startsWith(why), service + ": " + status.detail());
        });
        assertFalse(report.services().containsKey("s_global"), "a global service runs one task per node: not its business");
        assertFalse(report.pending());
    }

    @Test
    void constraintsDecideWhichNodesCount() {
        lab.service("s_web", 4, spec -> constraint(spec, "node.role!=manager"));
        lab.running("s_web", NODES, 0, 4, 0);
        lab.nodes.seen(nodes());
        check("s_web");
        lab.clock.advance(Duration.ofSeconds(1));
        w2LeavesAndReturns();
        RemedyReport report = check("s_web");
        assertEquals(List.of("update service s_web"), lab.engine.writes());
        assertEquals("node w2 returned; tasks per node were w1=4 w2=0", report.services().get("s_web").get(0).detail());
    }

    @Test
    void neverDuringAnUpdateOrRollbackNorBeforeAllTasksRun() {
        unevenWeb("s_web");
        w2LeavesAndReturns();
        for (String state : List.of("updating", "rollback_started", "paused", "rollback_paused")) {
            lab.swarm.rolloutState("s_web", state, lab.clock.instant());
            RemedyReport report = check("s_web");
            assertTrue(report.pending(), state);
            assertEquals(RemedyStatus.WAITING, report.services().get("s_web").get(0).state(), state);
        }
        lab.swarm.rolloutState("s_web", "completed", lab.clock.instant());
        lab.running("s_web", NODES, 2, 1, 0);
        assertEquals("3 of 4 tasks running", check("s_web").services().get("s_web").get(0).detail());
        assertEquals(List.of(), lab.engine.writes());
        lab.running("s_web", NODES, 3, 1, 0);
        check("s_web");
        assertEquals(List.of("update service s_web"), lab.engine.writes());
    }

    @Test
    void oneServiceAtATimeUntilSwarmReportsTheUpdateEnded() {
        lab.service("s_api", 4, spec -> { });
        lab.running("s_api", NODES, 2, 2, 0);
        unevenWeb("s_api", "s_web");
        w2LeavesAndReturns();

        RemedyReport first = check("s_api", "s_web");
        assertEquals(List.of("update service s_api"), lab.engine.writes(), "by name, one service");
        assertEquals("one service at a time: waits for the rebalance of s_api",
                first.services().get("s_web").get(0).detail());
        assertTrue(first.pending());

        lab.swarm.rolloutState("s_api", "updating", lab.clock.instant());
        check("s_api", "s_web");
        assertEquals(1, lab.engine.writes().size(), "Swarm is still updating s_api");
        lab.swarm.rolloutState("s_api", "completed", lab.clock.instant());
        check("s_api", "s_web");
        assertEquals(List.of("update service s_api", "update service s_web"), lab.engine.writes());
    }

    @Test
    void theNextServiceGoesAheadAfterMaxWait() {
        lab.service("s_api", 4, spec -> { });
        lab.running("s_api", NODES, 2, 2, 0);
        unevenWeb("s_api", "s_web");
        w2LeavesAndReturns();
        check("s_api", "s_web");
        lab.clock.advance(Duration.ofMinutes(5));
        check("s_api", "s_web");
        assertEquals(1, lab.engine.writes().size());
        lab.clock.advance(Duration.ofSeconds(1));
        check("s_api", "s_web");
        assertEquals(List.of("update service s_api", "update service s_web"), lab.engine.writes());
    }

    @Test
    void aServiceIsForcedAtMostOncePerMinInterval() {
        unevenWeb("s_web");
        w2LeavesAndReturns();
        check("s_web");
        lab.swarm.rolloutState("s_web", "completed", lab.clock.instant());
        lab.clock.advance(Duration.ofMinutes(1));
        w2LeavesAndReturns();
        RemedyReport soon = check("s_web");
        assertEquals(1, lab.engine.writes().size());
        assertEquals(RemedyStatus.SKIPPED, soon.services().get("s_web").get(0).state());
        assertFalse(soon.pending(), "that return is dealt with");

        lab.clock.advance(Duration.ofMinutes(9));
        w2LeavesAndReturns();
        check("s_web");
        assertEquals(2, lab.engine.writes().size(), "the next return after the interval rebalances again");
        assertEquals(2, lab.forceUpdate("s_web"));
    }

    @Test
    void noWriteWhileWritesAreRefused() {
        unevenWeb("s_web");
        w2LeavesAndReturns();
        refusal = Optional.of("quorum lost");
        RemedyReport held = check("s_web");
        assertEquals(List.of(), lab.engine.writes());
        assertEquals("no write: quorum lost", held.services().get("s_web").get(0).detail());
        assertTrue(held.pending());
        refusal = Optional.empty();
        check("s_web");
        assertEquals(List.of("update service s_web"), lab.engine.writes());
    }

    @Test
    void aRefusedWriteIsCountedAndTriedAgain() {
        unevenWeb("s_web");
        w2LeavesAndReturns();
        lab.swarm.beforeNextUpdate = () -> lab.swarm.tamper(SwarmObject.Kind.SERVICE, "s_web", spec -> { });
        RemedyReport failed = check("s_web");
        assertTrue(failed.pending());
        assertEquals(List.of("rebalance failed"), lab.counted);
        assertTrue(failed.services().get("s_web").get(0).lastError().contains("out of sequence"));
        check("s_web");
        assertEquals(1, lab.forceUpdate("s_web"), "the next pass writes on the version it reads");
        assertEquals(List.of("rebalance failed", "rebalance applied"), lab.counted);
    }

    @Test
    void aRemovedServiceInFlightHoldsNoOne() {
        lab.service("s_api", 4, spec -> { });
        lab.running("s_api", NODES, 2, 2, 0);
        unevenWeb("s_api", "s_web");
        w2LeavesAndReturns();
        check("s_api", "s_web");
        lab.swarm.remove(SwarmObject.Kind.SERVICE, lab.swarm.find(SwarmObject.Kind.SERVICE, "s_api").orElseThrow().id());
        check("s_web");
        assertEquals(List.of("update service s_api", "update service s_web"), lab.engine.writes());
    }

    private static void constraint(com.fasterxml.jackson.databind.node.ObjectNode spec, String expression) {
        spec.with("TaskTemplate").with("Placement").withArray("Constraints").add(expression);
    }

    private static void mount(com.fasterxml.jackson.databind.node.ObjectNode spec, String type, String source, String driver) {
        var mount = spec.with("TaskTemplate").with("ContainerSpec").putArray("Mounts").addObject()
                .put("Type", type).put("Source", source).put("Target", "/data");
        if (!driver.isEmpty()) {
            mount.putObject("VolumeOptions").putObject("DriverConfig").put("Name", driver);
        }
    }
}
