package io.stackwarden.reconcile;

import io.stackwarden.swarm.SwarmObject;

import java.util.List;

/**
 * Everything one stack should be, converted and ready to apply.
 *
 * @param externals objects the stack uses but does not own; they must exist before anything is written
 */
public record TargetState(String stack, String revision, List<DesiredObject> objects, List<External> externals) {

    public record External(SwarmObject.Kind kind, String name) {
    }
}
