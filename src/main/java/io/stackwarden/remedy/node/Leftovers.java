package io.stackwarden.remedy.node;

import io.stackwarden.agent.LeftoverCandidate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Containers left behind: a container on a node that carries the stack label of a managed stack and a swarm task label,
 * whose service is gone and whose task swarm no longer keeps (a task swarm keeps is swarm's to stop, or the stuck task
 * remedy's). A container of any other stack, or of none, is foreign and left alone.
 */
final class Leftovers {

    /** One leftover and the node it is on. */
    record Leftover(String node, LeftoverCandidate container) {
    }

    private Leftovers() {
    }

    /**
     * @param candidates   each node's containers of the managed stacks, as its agent listed them
     * @param liveServices the IDs of every service the swarm has, read after the candidates
     * @param knownTasks   the IDs of tasks swarm still keeps and wants stopped
     */
    static List<Leftover> of(Map<String, List<LeftoverCandidate>> candidates, Set<String> liveServices, Set<String> knownTasks,
                             Set<String> managedStacks) {
        List<Leftover> leftovers = new ArrayList<>();
        candidates.forEach((node, containers) -> containers.stream()
                .filter(c -> managedStacks.contains(c.stack()))
                .filter(c -> !c.service().isEmpty() && !liveServices.contains(c.service()))
                .filter(c -> !knownTasks.contains(c.task()))
                .forEach(c -> leftovers.add(new Leftover(node, c))));
        return leftovers;
    }
}
