package io.stackwarden.remedy;

import io.stackwarden.swarm.ServiceTasks;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What a pass gives the remedies of one stack.
 *
 * @param services      the stack's services with their tasks, as read for this pass
 * @param rebalance     the engine names of the services that opted in to the rebalance
 * @param writesRefused why no write may be made now (quorum lost), asked right before each write; empty: writes allowed
 */
public record RemedyInput(String stack, List<ServiceTasks> services, Set<String> rebalance,
                          Supplier<Optional<String>> writesRefused) {

    public RemedyInput {
        services = List.copyOf(services);
        rebalance = Set.copyOf(rebalance);
    }

    /** The stack's services, none opted in to the rebalance, writes allowed. */
    public static RemedyInput of(String stack, List<ServiceTasks> services) {
        return new RemedyInput(stack, services, Set.of(), Optional::empty);
    }
}
