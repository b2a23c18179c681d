package io.stackwarden.swarm.cache;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwarden.support.ManualScheduler;
import io.stackwarden.swarm.CountingSwarmEngine;
import io.stackwarden.swarm.EngineEvent;
import io.stackwarden.swarm.EngineInfo;
import io.stackwarden.swarm.EngineException;
import io.stackwarden.swarm.EventStream;
import io.stackwarden.swarm.FakeSwarm;
import io.stackwarden.swarm.SwarmObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.stackwarden.swarm.SwarmObject.Kind.NETWORK;
import static io.stackwarden.swarm.SwarmObject.Kind.SERVICE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cache on the fake engine: filled on connect, kept by events, relisted, stale after a drop, reads its own writes. */
class CachedSwarmEngineTest {

    private static final Duration RELIST = Duration.ofMinutes(30);

    private final FakeSwarm swarm = new FakeSwarm();
    private final CountingSwarmEngine engine = new CountingSwarmEngine(swarm);
    private final ManualScheduler scheduler = new ManualScheduler();
    private final CachedSwarmEngine cache = new CachedSwarmEngine(engine, scheduler, RELIST);
    private final List<String> heard = new ArrayList<>();
    private final EventStream.Listener feed = cache.following(new EventStream.Listener() {
        @Override
        public void connected() {
            heard.add("connected");
        }

        @Override
        public void event(EngineEvent event) {
            heard.add(event.action() + " " + event.name());
        }
    });

    private static ObjectNode service(String name, int replicas) {
        ObjectNode spec = JsonNodeFactory.instance.objectNode().put("Name", name);
        spec.putObject("Labels").put("com.docker.stack.namespace", "web");
        spec.putObject("Mode").putObject("Replicated").put("Replicas", replicas);
        return spec;
    }

    private static EngineEvent event(String type, String action, String id, String name) {
        return new EngineEvent(type, action, id, Map.of("name", name), Instant.EPOCH);
    }

    private SwarmObject live(String name) {
        return swarm.find(SERVICE, name).orElseThrow();
    }

    @Test
    void readsThroughUntilTheEventStreamConnects() {
        swarm.create(SERVICE, service("web_app", 1));
        assertEquals(Freshness.EMPTY, cache.freshness());
        assertEquals(1, cache.list(SERVICE, "com.docker.stack.namespace", "web").size());
        assertEquals(List.of("list service"), engine.reads());
    }

    @Test
    void aConnectListsEachKindOnceThenReadsComeFromTheCache() {
        swarm.create(SERVICE, service("web_app", 1));
        swarm.create(NETWORK, JsonNodeFactory.instance.objectNode().put("Name", "web_default"));
        feed.connected();
        assertEquals(Freshness.FRESH, cache.freshness());
        assertEquals(List.of("connected"), heard, "the listener downstream hears the connect after the cache is filled");
        assertEquals(4, engine.reads().size(), "one listing per kind: " + engine.reads());
        engine.reset();

        assertEquals("web_app", cache.list(SERVICE, "com.docker.stack.namespace", "web").get(0).name());
        assertEquals(1, cache.list(SERVICE).size());
        assertTrue(cache.find(NETWORK, "web_default").isPresent());
        assertTrue(cache.find(NETWORK, "other").isEmpty());
        assertEquals(List.of(), engine.reads());
    }

    @Test
    void theApiVersionIsReadOncePerConnection() {
        assertEquals("1.41", cache.apiVersion());
        feed.connected();
        engine.reset();
        assertEquals("1.41", cache.apiVersion());
        assertEquals("1.41", cache.apiVersion());
        assertEquals(List.of("version"), engine.reads(), "read once, then known");

        feed.disconnected(); // the engine may be restarted, upgraded
        swarm.info = new EngineInfo("27.5.1", "1.47", "n1", "swl-m1", "active", true);
        feed.connected();
        engine.reset();
        assertEquals("1.47", cache.apiVersion());
        assertEquals("1.47", cache.apiVersion());
        assertEquals(List.of("version"), engine.reads());
    }

    @Test
    void anEventOfSomeoneElsesChangeRereadsThatObjectAndIsPassedOn() {
        String id = swarm.create(SERVICE, service("web_app", 1));
        feed.connected();
        engine.reset();

        swarm.tamper(SERVICE, "web_app", spec -> spec.with("Mode").with("Replicated").put("Replicas", 3));
        feed.event(event("service", "update", id, "web_app"));

        assertEquals(List.of("inspect service " + id), engine.reads());
        assertEquals(3, cache.find(SERVICE, "web_app").orElseThrow().spec().at("/Mode/Replicated/Replicas").asInt());
        assertEquals(live("web_app").version(), cache.find(SERVICE, "web_app").orElseThrow().version());
        assertEquals(List.of("connected", "update web_app"), heard);
    }

    @Test
    void anEventThatShowsTheVersionAlreadyHeldIsNoChange() {
        String id = swarm.create(SERVICE, service("web_app", 1));
        feed.connected();
        feed.event(event("service", "update", id, "web_app"));
        assertEquals(List.of("connected"), heard);
    }

    @Test
    void theManagersOwnVersionBumpOfANewServiceIsKeptButIsNoChange() {
        feed.connected();
        String id = cache.create(SERVICE, service("web_app", 1));
        feed.event(event("service", "create", id, "web_app")); // the echo of our create
        swarm.allocate("web_app");
        feed.event(event("service", "update", id, "web_app"));

        assertEquals(List.of("connected"), heard, "no pass for the allocator's update");
        assertEquals(live("web_app").version(), cache.find(SERVICE, "web_app").orElseThrow().version(),
                "the next update must carry the current version");
    }

    @Test
    void theManagersUpdateOfANewServiceThatOutrunsTheReadBackIsNoChange() {
        feed.connected();
        swarm.afterNextCreate = id -> { // the event thread, before the create call has returned
            feed.event(event("service", "create", id, "web_app"));
            swarm.allocate("web_app");
            feed.event(event("service", "update", id, "web_app"));
        };
        cache.create(SERVICE, service("web_app", 1));
        assertEquals(List.of("connected"), heard, "no pass for our own new service");
        assertEquals(live("web_app").version(), cache.find(SERVICE, "web_app").orElseThrow().version());
    }

    @Test
    void aNetworksUpdateEventIsTheManagersAllocationAndNoChange() {
        String id = swarm.create(NETWORK, JsonNodeFactory.instance.objectNode().put("Name", "web_default"));
        feed.connected();
        swarm.tamper(NETWORK, "web_default", spec -> spec.putObject("IPAM").putArray("Config").addObject().put("Subnet", "10.0.1.0/24"));
        feed.event(event("network", "update", id, "web_default"));
        assertEquals(List.of("connected"), heard);
        assertEquals("10.0.1.0/24", cache.find(NETWORK, "web_default").orElseThrow().spec().at("/IPAM/Config/0/Subnet").asText(),
                "kept as the engine shows it");
        swarm.remove(NETWORK, id);
        feed.event(event("network", "remove", id, "web_default"));
        assertEquals(List.of("connected", "remove web_default"), heard, "a removal is a change");
    }

    @Test
    void aRolloutStateChangeWithTheSameSpecIsPassedOn() {
        String id = swarm.create(SERVICE, service("web_app", 1));
        feed.connected();
        swarm.allocate("web_app");
        swarm.rolloutState("web_app", "paused");
        feed.event(event("service", "update", id, "web_app"));
        assertEquals(List.of("connected", "update web_app"), heard);
    }

    @Test
    void aCreatedObjectOfSomeoneElseIsAddedAndARemovedOneDropped() {
        feed.connected();
        String id = swarm.create(SERVICE, service("web_app", 1));
        feed.event(event("service", "create", id, "web_app"));
        assertTrue(cache.find(SERVICE, "web_app").isPresent());

        swarm.remove(SERVICE, id);
        feed.event(event("service", "remove", id, "web_app"));
        assertTrue(cache.find(SERVICE, "web_app").isEmpty());
        assertEquals(List.of("connected", "create web_app", "remove web_app"), heard);
    }

    @Test
    void ownWritesAreReadBackAndTheirEchoesAreNeitherReadAgainNorPassedOn() {
        feed.connected();
        String id = cache.create(SERVICE, service("web_app", 1));
        assertEquals(id, cache.find(SERVICE, "web_app").orElseThrow().id(), "read-your-writes after a create");

        SwarmObject created = cache.find(SERVICE, "web_app").orElseThrow();
        cache.update(SERVICE, id, created.version(), service("web_app", 2));
        SwarmObject updated = cache.find(SERVICE, "web_app").orElseThrow();
        assertEquals(live("web_app").version(), updated.version(), "read-your-writes after an update");
        assertEquals(2, updated.spec().at("/Mode/Replicated/Replicas").asInt());

        engine.reset();
        feed.event(event("service", "create", id, "web_app"));
        feed.event(event("service", "update", id, "web_app"));
        assertEquals(List.of(), engine.reads(), "the echoes are not read again");
        assertEquals(List.of("connected"), heard, "nor do they trigger a pass");

        cache.remove(SERVICE, id);
        assertTrue(cache.find(SERVICE, "web_app").isEmpty(), "read-your-writes after a remove");
        feed.event(event("service", "remove", id, "web_app"));
        assertEquals(List.of("connected"), heard);

        // Only one echo per write: the next event of the same name is someone else's.
        feed.event(event("service", "remove", id, "web_app"));
        assertEquals(List.of("connected", "remove web_app"), heard);
    }

    @Test
    void anEchoThatNeverCameIsForgottenAfterAWhile() {
        feed.connected();
        String id = cache.create(SERVICE, service("web_app", 1));
        scheduler.advance(OwnWrites.PATIENCE.plusSeconds(1));
        swarm.tamper(SERVICE, "web_app", spec -> spec.with("Mode").with("Replicated").put("Replicas", 3));
        feed.event(event("service", "update", id, "web_app"));
        assertEquals(List.of("connected", "update web_app"), heard);
    }

    @Test
    void anUpdateRefusedAsOutOfSequenceLeavesTheCurrentVersionInTheCache() {
        feed.connected();
        String id = cache.create(SERVICE, service("web_app", 1));
        long held = cache.find(SERVICE, "web_app").orElseThrow().version();
        swarm.tamper(SERVICE, "web_app", spec -> spec.put("X", 1)); // an event not delivered yet

        EngineException refused = assertThrows(EngineException.class, () -> cache.update(SERVICE, id, held, service("web_app", 2)));
        assertTrue(refused.isOutOfSequence());
        assertEquals(live("web_app").version(), cache.find(SERVICE, "web_app").orElseThrow().version(),
                "the caller finds the current version to replan with");
    }

    @Test
    void afterADropReadsGoThroughUntilTheNextConnectListsAgain() {
        String id = swarm.create(SERVICE, service("web_app", 1));
        feed.connected();
        feed.disconnected();
        assertEquals(Freshness.STALE, cache.freshness());

        swarm.remove(SERVICE, id); // missed while disconnected
        engine.reset();
        assertTrue(cache.find(SERVICE, "web_app").isEmpty());
        assertEquals(List.of("find service web_app"), engine.reads());

        scheduler.advance(RELIST); // the periodic listing does not make a disconnected cache fresh
        assertEquals(Freshness.STALE, cache.freshness());

        feed.connected();
        assertEquals(Freshness.FRESH, cache.freshness());
        engine.reset();
        assertTrue(cache.find(SERVICE, "web_app").isEmpty());
        assertEquals(List.of(), engine.reads());
    }

    @Test
    void thePeriodicListingCatchesWhatEventsMissed() {
        feed.connected();
        swarm.create(SERVICE, service("web_app", 1)); // its event never arrives
        assertTrue(cache.find(SERVICE, "web_app").isEmpty());

        scheduler.advance(RELIST);
        assertTrue(cache.find(SERVICE, "web_app").isPresent());
        assertEquals(2, cache.relists());
        scheduler.advance(RELIST);
        assertEquals(3, cache.relists(), "and again every interval");
    }

    @Test
    void aWriteThatCannotBeReadBackMakesTheCacheStaleUntilListedAgain() {
        feed.connected();
        String id = cache.create(SERVICE, service("web_app", 1));
        long held = cache.find(SERVICE, "web_app").orElseThrow().version();
        EngineInfo alive = swarm.info;
        swarm.beforeNextUpdate = () -> swarm.info = null; // the update is taken, then the engine stops answering

        cache.update(SERVICE, id, held, service("web_app", 2));
        assertEquals(Freshness.STALE, cache.freshness());

        swarm.info = alive;
        scheduler.advance(CachedSwarmEngine.RELIST_SOON);
        assertEquals(Freshness.FRESH, cache.freshness());
        assertEquals(2, cache.find(SERVICE, "web_app").orElseThrow().spec().at("/Mode/Replicated/Replicas").asInt());
    }

    @Test
    void aRemovedNetworkStaysWhileTheManagerStillShowsIt() {
        swarm.staleNetworkReads = 3;
        feed.connected();
        String id = cache.create(NETWORK, JsonNodeFactory.instance.objectNode().put("Name", "web_default"));
        cache.remove(NETWORK, id);
        assertTrue(cache.find(NETWORK, "web_default").isPresent(), "the engine still answers for it");

        scheduler.advance(CachedSwarmEngine.NETWORK_LOOK.multipliedBy(5));
        assertTrue(cache.find(NETWORK, "web_default").isEmpty());
        assertTrue(swarm.inspect(NETWORK, id).isEmpty());
    }
}
