package io.stackwarden.loop;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwarden.compose.engine.StackLabels;
import io.stackwarden.swarm.EngineException;
import io.stackwarden.swarm.ForwardingSwarmEngine;
import io.stackwarden.swarm.SwarmEngine;
import io.stackwarden.swarm.SwarmObject;

import java.util.Optional;
import java.util.logging.Logger;

/**
 * The engine port as passes and remedies get it: every write asks the {@link WriteGate} first, at the moment it is
 * made (a leader that lost its lease in the middle of a pass writes nothing more), and no write ever touches an
 * object of Stackwarden's own stack. Reads pass through.
 */
public final class GatedSwarmEngine extends ForwardingSwarmEngine {

    private static final Logger LOG = Logger.getLogger(GatedSwarmEngine.class.getName());

    private final WriteGate gate;
    private final OwnStack own;
    private final Runnable onWrite;

    /** @param onWrite called after every write made (the metric) */
    public GatedSwarmEngine(SwarmEngine engine, WriteGate gate, OwnStack own, Runnable onWrite) {
        super(engine);
        this.gate = gate;
        this.own = own;
        this.onWrite = onWrite;
    }

    @Override
    public String create(SwarmObject.Kind kind, ObjectNode body, Optional<String> registryAuth) {
        check(kind, null, body);
        String id = delegate.create(kind, body, registryAuth);
        written("created", kind, body.path("Name").asText());
        return id;
    }

    @Override
    public void update(SwarmObject.Kind kind, String id, long version, ObjectNode spec, Optional<String> registryAuth) {
        check(kind, id, spec);
        delegate.update(kind, id, version, spec, registryAuth);
        written("updated", kind, spec.path("Name").asText(id));
    }

    @Override
    public void remove(SwarmObject.Kind kind, String id) {
        check(kind, id, null);
        delegate.remove(kind, id);
        written("removed", kind, id);
    }

    /** Every write made, once the engine took it: what shows, with its time, who wrote when. */
    private void written(String what, SwarmObject.Kind kind, String name) {
        onWrite.run();
        LOG.info(() -> "swarm write: " + what + " " + kind + " " + name);
    }

    /** @param id the object written, null for a create; @param body what is written, null for a removal */
    private void check(SwarmObject.Kind kind, String id, ObjectNode body) {
        Optional<WriteGate.Refusal> refused = gate.refusal();
        if (refused.isPresent()) {
            throw new EngineException(503, "no write: " + refused.get().message(), null);
        }
        Optional<String> stack = own.name();
        if (stack.isEmpty()) {
            return;
        }
        String what = kind + " " + (body != null ? body.path("Name").asText(id) : id);
        boolean labelled = body != null && stack.get().equals(body.path("Labels").path(StackLabels.NAMESPACE).asText(null));
        boolean ours = id != null && delegate.list(kind, StackLabels.NAMESPACE, stack.get()).stream().anyMatch(o -> o.id().equals(id));
        if (labelled || ours) {
            throw new EngineException(403, "refused: " + what + " belongs to " + stack.get()
                    + ", the stack Stackwarden itself runs in; it never writes its own objects", null);
        }
    }
}
