package io.stackwarden.swarm;

import java.time.Instant;
import java.util.Optional;

/**
 * The outcome of the latest engine probe.
 *
 * @param info     the engine's answer, empty while it does not answer
 * @param problem  why Stackwarden cannot work through the engine, empty when it can
 * @param failures consecutive failed probes
 */
public record EngineStatus(Optional<EngineInfo> info, Optional<String> problem, Instant checkedAt, int failures) {

    public static EngineStatus unknown(Instant now) {
        return new EngineStatus(Optional.empty(), Optional.of("not probed yet"), now, 0);
    }

    public static EngineStatus of(EngineInfo info, Instant now) {
        Optional<String> problem = info.isActiveManager()
                ? Optional.empty()
                : Optional.of("node " + info.nodeName() + " is not an active swarm manager (state "
                        + (info.localNodeState().isEmpty() ? "inactive" : info.localNodeState())
                        + (info.manager() ? ", manager" : ", not a manager") + ")");
        return new EngineStatus(Optional.of(info), problem, now, 0);
    }

    public static EngineStatus unreachable(String problem, Instant now, int failures) {
        return new EngineStatus(Optional.empty(), Optional.of(problem), now, failures);
    }

    /** Ready when the engine answers and its node is an active manager. */
    public boolean ready() {
        return problem.isEmpty();
    }

    public boolean reachable() {
        return info.isPresent();
    }
}
