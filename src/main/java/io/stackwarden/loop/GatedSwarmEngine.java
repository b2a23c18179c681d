package io.stackwarden.loop;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwarden.compose.engine.StackLabels;
import io.stackwarden.swarm.EngineException;
import io.stackwarden.swarm.ForwardingSwarmEngine;
import io.stackwarden.swarm.SwarmEngine;
import io.stackwarden.swarm.SwarmObject;

import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The engine port as passes and remedies get it: every write asks the {@link WriteGate} first, at the moment it is
 * made (a leader that lost its lease in the middle of a pass writes nothing more), and no write ever touches an
 * object of Stackwarden's own stack or creates one named as its own records. Reads pass through.
 */
public final class GatedSwarmEngine extends ForwardingSwarmEngine {

    private static final Logger LOG = Logger.getLogger(GatedSwarmEngine.class.getName());

    private final WriteGate gate;
    private final OwnStack own;
    private final Set<String> records;
    private final Runnable onWrite;

    /**
     * @param records the names of Stackwarden's own records (the lease, the saved state), which it writes past this gate:
     *                a stack that names a config so would plant a lease holder whose address standbys hand the token to
     * @param onWrite called after every write made (the metric)
     */
    public GatedSwarmEngine(SwarmEngine engine, WriteGate gate, OwnStack own, Set<String> records, Runnable onWrite) {
        super(engine);
        this.gate = gate;
        this.own = own;
        this.records = Set.copyOf(records);
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
        String what = kind + " " + (body != null ? body.path("Name").asText(id) : id);
        if (body != null && records.contains(body.path("Name").asText())) {
            throw new EngineException(403, "refused: " + what + " is named as a record Stackwarden keeps itself"
                    + " (its lease or its saved state); rename it", null);
        }
        Optional<String> stack = own.name();
        if (stack.isEmpty()) {
            return;
        }
        boolean labelled = body != null && stack.get().equals(body.path("Labels").path(StackLabels.NAMESPACE).asText(null));
        boolean ours = id != null && delegate.list(kind, StackLabels.NAMESPACE, stack.get()).stream().anyMatch(o -> o.id().equals(id));
        if (labelled || ours) {
            throw new EngineException(403, "refused: " + what + " belongs to " + stack.get()
                    + ", the stack Stackwarden itself runs in; it never writes its own objects", null);
        }
    }
}
