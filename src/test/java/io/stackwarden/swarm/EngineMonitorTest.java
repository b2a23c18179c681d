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

    /** A fake of our own port: answers with whatever the test sets, or fails like a dead engine. */
    static final class FakeEngine implements SwarmEngine {
        EngineInfo answer;

        @Override
        public EngineInfo info() {
            if (answer == null) {
                throw EngineException.unreachable("GET /info", new java.net.ConnectException("Connection refused"));
            }
            return answer;
        }
    }

    static final EngineInfo MANAGER = new EngineInfo("20.10.24", "1.41", "n1", "swl-m1", "active", true);
    static final EngineInfo WORKER = new EngineInfo("20.10.24", "1.41", "n2", "swl-w1", "active", false);
    static final EngineInfo NO_SWARM = new EngineInfo("20.10.24", "1.41", "", "box", "inactive", false);

    private final FakeEngine engine = new FakeEngine();
    private final EngineMonitor monitor = new EngineMonitor(engine, Duration.ofSeconds(5),
            new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8)), Clock.systemUTC());

    @Test
    void readyOnlyForAnActiveManager() {
        engine.answer = MANAGER;
        assertTrue(monitor.probe().ready());
        engine.answer = WORKER;
        EngineStatus worker = monitor.probe();
        assertFalse(worker.ready());
        assertTrue(worker.reachable());
        assertTrue(worker.problem().orElseThrow().contains("not an active swarm manager"), worker.problem().get());
        engine.answer = NO_SWARM;
        assertFalse(monitor.probe().ready());
    }

    @Test
    void deadEngineCountsFailuresAndRecovers() {
        engine.answer = null;
        assertEquals(1, monitor.probe().failures());
        EngineStatus second = monitor.probe();
        assertEquals(2, second.failures());
        assertFalse(second.reachable());
        assertTrue(second.problem().orElseThrow().contains("Connection refused"));
        engine.answer = MANAGER;
        EngineStatus recovered = monitor.probe();
        assertTrue(recovered.ready());
        assertEquals(0, recovered.failures());
    }

    @Test
    void listenersHearOnlyChangesOfReadiness() {
        List<Boolean> heard = new ArrayList<>();
        monitor.onReadinessChange(status -> heard.add(status.ready()));
        engine.answer = MANAGER;
        monitor.probe();
        monitor.probe();
        engine.answer = null;
        monitor.probe();
        monitor.probe();
        engine.answer = MANAGER;
        monitor.probe();
        assertEquals(List.of(true, false, true), heard);
    }
}
