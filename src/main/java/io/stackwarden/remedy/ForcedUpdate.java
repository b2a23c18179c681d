package io.stackwarden.remedy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwarden.swarm.SwarmEngine;
import io.stackwarden.swarm.SwarmObject;

/**
 * What {@code docker service update --force} does: the service's own spec, written back with
 * {@code TaskTemplate.ForceUpdate} one higher, so Swarm replaces every task along the service's {@code update_config}.
 * The reconciler ignores the counter, so the forced update is not drift.
 */
final class ForcedUpdate {

    private ForcedUpdate() {
    }

    /** Writes it, at the version read; throws {@link io.stackwarden.swarm.EngineException} when the engine refuses. */
    static void of(SwarmEngine engine, SwarmObject service) {
        ObjectNode spec = service.spec().deepCopy();
        ObjectNode template = spec.with("TaskTemplate");
        template.put("ForceUpdate", template.path("ForceUpdate").asLong(0) + 1);
        engine.update(SwarmObject.Kind.SERVICE, service.id(), service.version(), spec);
    }

    /** The spec as far as a remedy's count of retries goes: the force-update counter is the retry itself. */
    static String specWithoutCounter(ObjectNode spec) {
        ObjectNode copy = spec.deepCopy();
        if (copy.path("TaskTemplate") instanceof ObjectNode template) {
            template.remove("ForceUpdate");
        }
        return copy.toString();
    }
}
