package io.stackwarden.swarm;

import java.util.ArrayList;
import java.util.List;

/** A service and its tasks, read once per pass and shared by everything that looks at the tasks (health, remedies). */
public record ServiceTasks(SwarmObject service, List<TaskInfo> tasks) {

    public ServiceTasks {
        tasks = List.copyOf(tasks);
    }

    /** The services carrying the label, each with its tasks. */
    public static List<ServiceTasks> read(SwarmEngine engine, String labelKey, String labelValue) {
        List<ServiceTasks> read = new ArrayList<>();
        for (SwarmObject service : engine.list(SwarmObject.Kind.SERVICE, labelKey, labelValue)) {
            read.add(new ServiceTasks(service, engine.tasks(service.id())));
        }
        return List.copyOf(read);
    }
}
