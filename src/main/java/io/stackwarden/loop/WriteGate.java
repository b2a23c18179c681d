package io.stackwarden.loop;

import java.util.Optional;

/** Whether passes may write to the swarm now, and if not, why (for example: quorum lost). */
@FunctionalInterface
public interface WriteGate {

    WriteGate OPEN = Optional::empty;

    Optional<String> refusal();
}
