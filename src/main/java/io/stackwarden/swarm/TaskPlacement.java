package io.stackwarden.swarm;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Where tasks are, as a manager reports it, for the remedies that act on nodes: tasks asked to stop, the running tasks
 * of given services with their overlay addresses, and the nodes' addresses. Throws {@link EngineException}.
 */
public interface TaskPlacement {

    /** Every task whose desired state is {@code shutdown} or {@code remove}, in any state. */
    List<StoppingTask> stopping();

    /** The running tasks of these services (by ID). */
    List<TaskAddresses> running(Collection<String> serviceIds);

    /** Each node's address (node ID to IP), as the manager sees it. */
    Map<String, String> nodeAddresses();
}
