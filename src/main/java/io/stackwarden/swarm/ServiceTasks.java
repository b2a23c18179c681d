package io.stackwarden.swarm;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A service and its tasks, read once per pass and shared by everything that looks at the tasks (health, remedies). */
public record ServiceTasks(SwarmObject service, List<TaskInfo> tasks) {

    public ServiceTasks {
        tasks = List.copyOf(tasks);
    }

    /** The services carrying the label, each with its tasks: the tasks of all of them in one read. */
    public static List<ServiceTasks> read(SwarmEngine engine, String labelKey, String labelValue) {
        List<SwarmObject> services = engine.list(SwarmObject.Kind.SERVICE, labelKey, labelValue);
        Map<String, List<TaskInfo>> byService = new HashMap<>();
        for (TaskInfo task : tasksOf(engine, services)) {
            byService.computeIfAbsent(task.serviceId(), id -> new ArrayList<>()).add(task);
        }
        return services.stream()
                .map(service -> new ServiceTasks(service, byService.getOrDefault(service.id(), List.of())))
                .toList();
    }

    /**
     * One read for all; a service removed since the listing makes the engine refuse the whole read, so then
     * one read per service, as before, which fails for the removed one only.
     */
    private static List<TaskInfo> tasksOf(SwarmEngine engine, List<SwarmObject> services) {
        List<String> ids = services.stream().map(SwarmObject::id).toList();
        try {
            return engine.tasks(ids);
        } catch (EngineException e) {
            if (!e.isGone() || ids.size() < 2) {
                throw e;
            }
            List<TaskInfo> tasks = new ArrayList<>();
            ids.forEach(id -> tasks.addAll(engine.tasks(id)));
            return tasks;
        }
    }
}
