package io.stackwarden.remedy.node;

import io.stackwarden.compose.engine.StackLabels;
import io.stackwarden.swarm.StoppingTask;

import java.util.List;
import java.util.Set;

/**
 * The talk's "Replicas 2/1": a task asked to stop (desired {@code shutdown} or {@code remove}) whose container still
 * runs. Swarm waits for the node to report the container gone, which a stuck {@code containerd-shim} never does.
 * Only tasks of managed stacks count, and only those placed on a node with a container.
 */
final class StuckTasks {

    private StuckTasks() {
    }

    /** The still-running stopping tasks of the managed stacks. */
    static List<StoppingTask> of(List<StoppingTask> stopping, Set<String> managedStacks) {
        return stopping.stream()
                .filter(StoppingTask::stillRunning)
                .filter(task -> !task.containerId().isEmpty() && !task.nodeId().isEmpty())
                .filter(task -> managedStacks.contains(stackOf(task)))
                .toList();
    }

    static String stackOf(StoppingTask task) {
        return task.containerLabels().getOrDefault(StackLabels.NAMESPACE, "");
    }
}
