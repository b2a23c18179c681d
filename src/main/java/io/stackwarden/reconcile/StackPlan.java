package io.stackwarden.reconcile;

import io.stackwarden.swarm.SwarmObject;

import java.util.List;

/**
 * The writes that make one stack equal to its target, in the order they are made: creates and updates of
 * networks, secrets, configs, then services, then removals (services before what they used). The diff API
 * shows it and a sync applies it, so what is shown is what is done. Service specs refer to networks,
 * configs and secrets by ID; an object the plan creates has an ID only once it is created, so a service's
 * references are bound again when it is written.
 *
 * @param target the target with Stackwarden's labels and the IDs known when planning
 * @param live   the stack's objects when planning
 * @param steps  the writes, in order
 * @param refused services left out of the steps because their registry refused the image lookup, one message each
 */
public record StackPlan(TargetState target, List<SwarmObject> live, List<Action> steps, List<String> refused) {

    public StackPlan {
        live = List.copyOf(live);
        steps = List.copyOf(steps);
        refused = List.copyOf(refused);
    }
}
