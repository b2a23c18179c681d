package io.stackwarden.reconcile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwarden.swarm.ObjectKey;
import io.stackwarden.swarm.SwarmObject;

import java.util.List;
import java.util.Optional;

/**
 * One write the reconcile will make.
 *
 * @param live    the object as it is now (absent for a create)
 * @param spec    what is written (absent for a removal)
 * @param changes the JSON pointers that differ between live and desired, for status and diffs
 */
public record Action(Type type, SwarmObject.Kind kind, String name, Optional<SwarmObject> live,
                     Optional<ObjectNode> spec, List<String> changes) {

    public enum Type { CREATE, UPDATE, REMOVE }

    static Action create(DesiredObject object) {
        return new Action(Type.CREATE, object.kind(), object.name(), Optional.empty(), Optional.of(object.spec()), List.of());
    }

    static Action update(SwarmObject live, ObjectNode spec, List<String> changes) {
        return new Action(Type.UPDATE, live.kind(), live.name(), Optional.of(live), Optional.of(spec), changes);
    }

    static Action remove(SwarmObject live) {
        return new Action(Type.REMOVE, live.kind(), live.name(), Optional.of(live), Optional.empty(), List.of());
    }

    public ObjectKey key() {
        return new ObjectKey(kind, name);
    }

    /** The same write with another spec. */
    Action withSpec(ObjectNode spec) {
        return new Action(type, kind, name, live, Optional.of(spec), changes);
    }

    @Override
    public String toString() {
        return type.name().toLowerCase() + " " + kind + " " + name + (changes.isEmpty() ? "" : " " + changes);
    }
}
