package io.stackwarden.reconcile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwarden.swarm.ObjectKey;
import io.stackwarden.swarm.SwarmObject;

/** One object a stack should have, with its full name and Engine API create body. */
public record DesiredObject(SwarmObject.Kind kind, String name, ObjectNode spec) {

    public ObjectKey key() {
        return new ObjectKey(kind, name);
    }
}
