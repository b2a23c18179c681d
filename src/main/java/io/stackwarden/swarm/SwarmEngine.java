package io.stackwarden.swarm;

/**
 * The port through which the core talks to the swarm. The reconcile core depends on this
 * interface only, so unit tests can drive it with a small fake and integration tests with the lab.
 */
public interface SwarmEngine {

    /** The engine's identity and swarm role; throws {@link EngineException} when it does not answer. */
    EngineInfo info();
}
