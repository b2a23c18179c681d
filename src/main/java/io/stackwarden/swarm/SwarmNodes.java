package io.stackwarden.swarm;

import java.util.List;

/** The swarm's nodes, as a manager lists them; throws {@link EngineException} when it cannot (no leader). */
public interface SwarmNodes {

    List<NodeInfo> nodes();
}
