package io.stackwarden.remedy;

import io.stackwarden.swarm.ServiceTasks;

import java.util.List;

/** A remedy a stack's pass asks, with the services and tasks it read, what it did or waits to do for that stack. */
@FunctionalInterface
public interface StackRemedy {

    /** @param services the stack's services with their tasks, as read for this pass */
    RemedyReport check(String stack, List<ServiceTasks> services);

    /** This remedy, then {@code next}, their reports in one. */
    default StackRemedy and(StackRemedy next) {
        return (stack, services) -> check(stack, services).plus(next.check(stack, services));
    }
}
