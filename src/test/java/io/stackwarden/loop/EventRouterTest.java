package io.stackwarden.loop;

import io.stackwarden.compose.engine.StackLabels;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwarden.reconcile.Ownership;
import io.stackwarden.swarm.EngineEvent;
import io.stackwarden.swarm.FakeSwarm;
import io.stackwarden.swarm.SwarmObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EventRouterTest {

    private final FakeSwarm swarm = new FakeSwarm();
    private final List<String> queued = new ArrayList<>();
    private final Set<String> folders = new java.util.TreeSet<>(Set.of("ev1", "ev2", "evnew"));
    private final EventRouter router = new EventRouter(swarm, () -> Set.copyOf(folders),
            (stack, trigger) -> queued.add(stack + ":" + trigger), () -> queued.add("nodes read"));

    private String create(SwarmObject.Kind kind, String stack, String name, boolean managed) {
        ObjectNode spec = JsonNodeFactory.instance.objectNode().put("Name", name);
        ObjectNode labels = spec.putObject("Labels").put(StackLabels.NAMESPACE, stack);
        if (managed) {
            labels.put(Ownership.MANAGED_BY, Ownership.MANAGED_BY_VALUE);
        }
        return swarm.create(kind, spec);
    }

    private static EngineEvent event(String type, String action, String id, Map<String, String> attributes) {
        return new EngineEvent(type, action, id, attributes, Instant.EPOCH);
    }

    @Test
    void theFirstConnectIsEveryKnownStacksStartUpPassAndEachReconnectAResync() {
        create(SwarmObject.Kind.SERVICE, "evold", "evold_app", true);
        router.connected();
        assertEquals(List.of("ev1:STARTUP", "ev2:STARTUP", "evnew:STARTUP", "evold:STARTUP"), queued);
        queued.clear();
        router.connected();
        assertEquals(List.of("ev1:RESYNC", "ev2:RESYNC", "evnew:RESYNC", "evold:RESYNC"), queued);
    }

    @Test
    void objectEventsGoToTheirStackByIdEvenAfterTheObjectIsGone() {
        String service = create(SwarmObject.Kind.SERVICE, "ev1", "ev1_app", true);
        String network = create(SwarmObject.Kind.NETWORK, "ev2", "ev2_default", true);
        router.connected();
        queued.clear();
        swarm.remove(SwarmObject.Kind.SERVICE, service);
        router.event(event("service", "remove", service, Map.of("name", "ev1_app")));
        router.event(event("network", "update", network, Map.of("name", "ev2_default")));
        assertEquals(List.of("ev1:ENGINE_EVENT", "ev2:ENGINE_EVENT"), queued);
    }

    @Test
    void objectsFirstSeenInAnEventAreLookedUpOnceAndUnknownRemovalsGoByName() {
        router.connected();
        queued.clear();
        String config = create(SwarmObject.Kind.CONFIG, "evnew", "evnew_note", false);
        router.event(event("config", "create", config, Map.of("name", "evnew_note")));
        swarm.remove(SwarmObject.Kind.CONFIG, config);
        router.event(event("config", "remove", config, Map.of("name", "evnew_note")));
        router.event(event("secret", "remove", "never-seen", Map.of("name", "ev2_token")));
        router.event(event("service", "update", "other", Map.of("name", "unrelated")));
        String foreign = create(SwarmObject.Kind.SERVICE, "clideployed", "clideployed_db", false);
        router.event(event("service", "create", foreign, Map.of("name", "clideployed_db")));
        assertEquals(List.of("evnew:ENGINE_EVENT", "evnew:ENGINE_EVENT", "ev2:ENGINE_EVENT"), queued);
    }

    @Test
    void theRemovalOfAnObjectOfAStackAddedSinceTheConnectReachesThatStack() {
        router.connected();
        queued.clear();
        folders.add("evlate"); // deployed after the connect; its own writes' events stopped at the cache
        router.event(event("service", "remove", "never-seen", Map.of("name", "evlate_app")));
        assertEquals(List.of("evlate:ENGINE_EVENT"), queued);
    }

    @Test
    void onlyNodeChangesThatMovePlacementTouchEveryStack() {
        router.connected();
        queued.clear();
        router.event(event("node", "update", "n1", Map.of("name", "swl-m1")));
        assertEquals(List.of(), queued);
        router.event(event("node", "update", "n2", Map.of("name", "swl-w1", "state.old", "ready", "state.new", "down")));
        assertEquals(List.of("nodes read", "ev1:ENGINE_EVENT", "ev2:ENGINE_EVENT", "evnew:ENGINE_EVENT"), queued,
                "the nodes are read again first, so the passes see the node as it is now");
    }
}
