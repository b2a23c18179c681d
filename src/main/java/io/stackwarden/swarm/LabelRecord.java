package io.stackwarden.swarm;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * A small record kept in the swarm itself: the labels of one config object, written only with the version index
 * last read, so that of two writers starting from the same version exactly one wins (swarmkit answers the other
 * "update out of sequence"). A config's data cannot change, its labels can; no external store is needed, and the
 * record lives as long as the swarm's raft log. The lease and the saved state are such records.
 */
public final class LabelRecord {

    /** The data of the config: fixed, since swarmkit allows label changes only. */
    private static final String DATA = Base64.getEncoder().encodeToString(
            "a record of Stackwarden: its content is in the labels\n".getBytes(StandardCharsets.UTF_8));

    /** The record as read: its object, the version to write against, and its labels. */
    public record Snapshot(String id, long version, Map<String, String> labels) {
        public Snapshot {
            labels = Map.copyOf(labels);
        }
    }

    private final SwarmEngine engine;
    private final String name;

    /** @param engine a port that reads the engine itself (no cache): the version must be the current one */
    public LabelRecord(SwarmEngine engine, String name) {
        this.engine = engine;
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** The record now; empty while it was never written. */
    public Optional<Snapshot> read() {
        return engine.find(SwarmObject.Kind.CONFIG, name)
                .map(object -> new Snapshot(object.id(), object.version(), object.labels()));
    }

    /**
     * Replaces the labels if the record is still at {@code expected} (empty: it does not exist yet), and answers the
     * record as read right after the write; empty when someone else wrote first (nothing was written then).
     *
     * @throws EngineException when the engine does not answer or refuses for another reason
     */
    public Optional<Snapshot> write(Optional<Snapshot> expected, Map<String, String> labels) {
        ObjectNode spec = JsonNodeFactory.instance.objectNode().put("Name", name);
        ObjectNode labelNode = spec.putObject("Labels");
        labels.forEach(labelNode::put);
        spec.put("Data", DATA);
        try {
            if (expected.isEmpty()) {
                engine.create(SwarmObject.Kind.CONFIG, spec);
            } else {
                engine.update(SwarmObject.Kind.CONFIG, expected.get().id(), expected.get().version(), spec);
            }
        } catch (EngineException e) {
            if (e.isOutOfSequence() || e.status() == 409 || (expected.isPresent() && e.isNotFound())) {
                return Optional.empty();
            }
            throw e;
        }
        // The engine does not answer the new version: read it back for the next write.
        return read();
    }

    /** Removes the record (uninstall); absent is fine. */
    public void remove() {
        read().ifPresent(snapshot -> engine.remove(SwarmObject.Kind.CONFIG, snapshot.id()));
    }
}
