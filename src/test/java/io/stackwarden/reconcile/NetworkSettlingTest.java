package io.stackwarden.reconcile;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwarden.swarm.SwarmObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The memory of removed networks stays small: per stack, and bounded in time across all stacks. */
class NetworkSettlingTest {

    private final AtomicLong now = new AtomicLong();
    private final NetworkSettling settling = new NetworkSettling(null, now::get); // no engine call in these tests

    private static SwarmObject network(String id, String name) {
        ObjectNode spec = JsonNodeFactory.instance.objectNode().put("Name", name);
        return new SwarmObject(SwarmObject.Kind.NETWORK, id, name, 0, Map.of(), spec, spec);
    }

    @Test
    void aRemovedNetworkStillListedCountsAsAbsentAndIsForgottenOnceItIsGone() {
        SwarmObject lingering = network("n1", "a_back");
        settling.removed("a", "a_back", "n1");
        assertEquals(List.of(), settling.withoutRemoved("a", List.of(lingering)));
        assertEquals(1, settling.remembered());

        settling.withoutRemoved("a", List.of());
        assertEquals(0, settling.remembered(), "no longer listed: gone for good");
        assertEquals(List.of(lingering), settling.withoutRemoved("a", List.of(lingering)));
    }

    @Test
    void anotherStacksPassKeepsItsNetworksUntilTheBoundWhateverHappens() {
        settling.removed("a", "a_back", "n1");
        settling.removed("b", "b_back", "n2");
        settling.withoutRemoved("b", List.of(network("n2", "b_back")));
        assertEquals(2, settling.remembered(), "stack b's pass does not forget stack a's network");

        now.addAndGet(NetworkSettling.REMEMBER.plus(Duration.ofSeconds(1)).toNanos());
        settling.withoutRemoved("b", List.of(network("n2", "b_back")));
        assertEquals(0, settling.remembered(), "forgotten after " + NetworkSettling.REMEMBER + ", listed or not");
    }
}
