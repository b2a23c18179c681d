package io.stackwarden.loop;

import io.stackwarden.reconcile.Action;
import io.stackwarden.remedy.RemedyReport;
import io.stackwarden.swarm.SwarmObject;

import java.util.List;
import java.util.Optional;

/** The per-service part of a stack's status, with what a pass found besides the tasks. */
final class ServiceStatuses {

    private ServiceStatuses() {
    }

    /** The services' status with the spec fields that differ from the files. */
    static List<StackStatus.ServiceStatus> withDifferences(List<StackStatus.ServiceStatus> services, List<Action> drift) {
        return services.stream().map(service -> new StackStatus.ServiceStatus(service.name(), service.desiredTasks(),
                service.runningTasks(), service.updateState(), drift.stream()
                .filter(action -> action.kind() == SwarmObject.Kind.SERVICE && action.name().equals(service.name()))
                .flatMap(action -> action.changes().stream()).toList(), service.remedies())).toList();
    }

    /** The services' status with what the remedies did or wait to do for each. */
    static List<StackStatus.ServiceStatus> withRemedies(List<StackStatus.ServiceStatus> services, RemedyReport remedies) {
        return services.stream().map(service -> Optional.ofNullable(remedies.services().get(service.name()))
                .map(remedy -> new StackStatus.ServiceStatus(service.name(), service.desiredTasks(), service.runningTasks(),
                        service.updateState(), service.differences(), remedy))
                .orElse(service)).toList();
    }
}
