package io.stackwarden.reconcile;

import io.stackwarden.compose.engine.StackObject;
import io.stackwarden.compose.engine.StackObjects;
import io.stackwarden.swarm.SwarmObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything one stack should be, converted and ready to apply.
 *
 * @param revision  the desired-state revision it came from, written on every object it writes
 * @param externals objects the stack uses but does not own; they must exist before anything is written
 */
public record TargetState(String stack, String revision, List<DesiredObject> objects, List<External> externals) {

    public record External(SwarmObject.Kind kind, String name) {
    }

    /** The target of a converted stack, its configs and secrets named by content ({@link ContentNames}). */
    public static TargetState of(String stack, String revision, StackObjects stackObjects) {
        StackObjects converted = ContentNames.apply(stack, stackObjects);
        List<DesiredObject> objects = new ArrayList<>();
        add(objects, SwarmObject.Kind.NETWORK, converted.networks());
        add(objects, SwarmObject.Kind.SECRET, converted.secrets());
        add(objects, SwarmObject.Kind.CONFIG, converted.configs());
        add(objects, SwarmObject.Kind.SERVICE, converted.services());
        List<External> externals = new ArrayList<>();
        converted.externalNetworks().forEach(name -> externals.add(new External(SwarmObject.Kind.NETWORK, name)));
        converted.externalSecrets().forEach(name -> externals.add(new External(SwarmObject.Kind.SECRET, name)));
        converted.externalConfigs().forEach(name -> externals.add(new External(SwarmObject.Kind.CONFIG, name)));
        return new TargetState(stack, revision, List.copyOf(objects), List.copyOf(externals));
    }

    private static void add(List<DesiredObject> objects, SwarmObject.Kind kind, List<StackObject> converted) {
        converted.forEach(object -> objects.add(new DesiredObject(kind, object.name(), object.spec())));
    }
}
