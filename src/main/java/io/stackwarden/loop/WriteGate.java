package io.stackwarden.loop;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Whether this instance may write to the swarm now, and if not, why: the one gate in front of every write (a pass's
 * writes, a remedy's forced update, the saved state). {@link Acting} is the gate of the daemon.
 */
@FunctionalInterface
public interface WriteGate {

    WriteGate OPEN = Optional::empty;

    Optional<Refusal> refusal();

    /** Why nothing may be written now. */
    record Refusal(Reason reason, String message) {

        public boolean standby() {
            return reason == Reason.STANDBY;
        }
    }

    enum Reason {
        /**
         * Another replica acts (or none does yet, or this one is still taking over): this one runs no passes and
         * writes nothing, and its status mirrors the leader's.
         */
        STANDBY,
        /** This instance acts, but writes are held for now (quorum lost, say): passes end unwritten and retry. */
        HELD
    }

    /** A gate closed, as {@link Reason#HELD}, whenever {@code why} answers a reason. */
    static WriteGate held(Supplier<Optional<String>> why) {
        return () -> why.get().map(message -> new Refusal(Reason.HELD, message));
    }

    /** The first refusal of the gates, in order. */
    static WriteGate allOf(List<WriteGate> gates) {
        return () -> gates.stream().map(WriteGate::refusal).flatMap(Optional::stream).findFirst();
    }
}
