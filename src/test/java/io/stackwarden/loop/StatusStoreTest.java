package io.stackwarden.loop;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatusStoreTest {

    private final StatusStore store = new StatusStore();

    @Test
    void keepsTheLatestPassesNewestFirstAndAtMostHistory() {
        for (int i = 0; i < StatusStore.HISTORY + 5; i++) {
            store.put(status("web", operation(i)));
        }
        List<StackStatus.Operation> passes = store.operations("web");
        assertEquals(StatusStore.HISTORY, passes.size());
        assertEquals("pass " + (StatusStore.HISTORY + 4), passes.get(0).message());
        assertEquals("pass 5", passes.get(passes.size() - 1).message());
        assertEquals(List.of(), store.operations("other"));
    }

    @Test
    void aStatusPutAgainWithTheSameOperationIsNoNewPass() {
        StackStatus.Operation pass = operation(1);
        store.put(status("web", pass));
        store.put(status("web", pass));
        assertEquals(1, store.operations("web").size());
    }

    @Test
    void theVersionGrowsWithEveryChangeAndARemovalForgetsThePasses() {
        long start = store.version();
        store.put(status("web", operation(1)));
        long afterPut = store.version();
        assertTrue(afterPut > start);
        assertEquals(afterPut, store.version(), "reading changes nothing");
        store.remove("web");
        assertTrue(store.version() > afterPut);
        assertEquals(List.of(), store.operations("web"));
    }

    private static StackStatus.Operation operation(int i) {
        Instant at = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i);
        return new StackStatus.Operation(Set.of(Trigger.MANUAL), at, at.plusMillis(5), OperationResult.SUCCEEDED,
                "pass " + i, List.of());
    }

    private static StackStatus status(String stack, StackStatus.Operation operation) {
        return new StackStatus(stack, StackStatus.Sync.SYNCED, StackStatus.Health.HEALTHY, "", "", operation, List.of(),
                operation.message(), List.of());
    }
}
