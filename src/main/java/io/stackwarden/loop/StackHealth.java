package io.stackwarden.loop;

import io.stackwarden.swarm.ServiceTasks;
import io.stackwarden.swarm.SwarmObject;
import io.stackwarden.swarm.TaskInfo;

import java.util.ArrayList;
import java.util.List;

/** Health of a stack from its services' tasks: running as many as wanted, on the way, or short. */
final class StackHealth {

    record Assessment(StackStatus.Health health, List<StackStatus.ServiceStatus> services) {
    }

    private StackHealth() {
    }

    /** @param read the stack's services with their tasks ({@link ServiceTasks#read}) */
    static Assessment assess(List<ServiceTasks> read, boolean expectServices) {
        List<StackStatus.ServiceStatus> services = new ArrayList<>();
        boolean progressing = false;
        boolean degraded = false;
        for (ServiceTasks serviceTasks : read) {
            SwarmObject service = serviceTasks.service();
            List<TaskInfo> tasks = serviceTasks.tasks();
            int running = (int) tasks.stream().filter(TaskInfo::running).count();
            boolean starting = tasks.stream().anyMatch(TaskInfo::starting);
            int desired = desiredTasks(service, tasks);
            String updateState = service.raw().path("UpdateStatus").path("State").asText("");
            services.add(new StackStatus.ServiceStatus(service.name(), desired, running, updateState, List.of(), List.of()));
            // A completed rollback is an update that failed: the service runs, but not what was written.
            if (updateState.endsWith("paused") || updateState.equals("rollback_completed")) {
                degraded = true;
            } else if (starting || updateState.equals("updating") || updateState.equals("rollback_started")) {
                progressing = true;
            } else if (running < desired) {
                degraded = true;
            }
        }
        StackStatus.Health health = services.isEmpty() && expectServices ? StackStatus.Health.MISSING
                : degraded ? StackStatus.Health.DEGRADED
                : progressing ? StackStatus.Health.PROGRESSING
                : StackStatus.Health.HEALTHY;
        return new Assessment(health, List.copyOf(services));
    }

    /** Replicated: the replica count; global: the nodes it should run on (one task each); jobs: none to keep running. */
    private static int desiredTasks(SwarmObject service, List<TaskInfo> tasks) {
        if (service.spec().path("Mode").has("Replicated")) {
            return service.spec().at("/Mode/Replicated/Replicas").asInt(1);
        }
        if (service.spec().path("Mode").has("Global")) {
            return (int) tasks.stream().filter(t -> "running".equals(t.desiredState())).count();
        }
        return 0;
    }
}
