package io.stackwarden.swarm;

import io.stackwarden.support.Backoff;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EngineMonitorTest {

    static final EngineInfo MANAGER = new EngineInfo("20.10.24", "1.41", "n1", "swl-m1", "active", true);
    static final EngineInfo WORKER = new EngineInfo("20.10.24", "1.41", "n2", "swl-w1", "active", false);
    static final EngineInfo NO_SWARM = new EngineInfo("20.10.24", "1.41", "", "box", "inactive", false);

    private final FakeSwarm engine = new FakeSwarm();
    private final EngineMonitor monitor = new EngineMonitor(engine, Duration.ofSeconds(5),
            new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8)), Clock.systemUTC());

    @Test
    void readyOnlyForAnActiveManager() {
        engine.info = MANAGER;
        assertTrue(monitor.probe().ready());
        engine.info = WORKER;
        EngineStatus worker = monitor.probe();
        assertFalse(worker.ready());
        assertTrue(worker.reachable());
        assertTrue(worker.problem().orElseThrow().contains("not an active swarm manager"), worker.problem().get());
        engine.info = NO_SWARM;
        assertFalse(monitor.probe().ready());
    }

    @Test
    void deadEngineCountsFailuresAndRecovers() {
        engine.info = null;
        assertEquals(1, monitor.probe().failures());
        EngineStatus second = monitor.probe();
        assertEquals(2, second.failures());
        assertFalse(second.reachable());
        assertTrue(second.problem().orElseThrow().contains("Connection refused"));
        engine.info = MANAGER;
        EngineStatus recovered = monitor.probe();
        assertTrue(recovered.ready());
        assertEquals(0, recovered.failures());
    }

    @Test
    void listenersHearOnlyChangesOfReadiness() {
        List<Boolean> heard = new ArrayList<>();
        monitor.onReadinessChange(status -> heard.add(status.ready()));
        engine.info = MANAGER;
        monitor.probe();
        monitor.probe();
        engine.info = null;
        monitor.probe();
        monitor.probe();
        engine.info = MANAGER;
        monitor.probe();
        assertEquals(List.of(true, false, true), heard);
    }
}
