package io.stackwarden.remedy;

import io.stackwarden.swarm.NodeInfo;
import io.stackwarden.swarm.TaskInfo;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * How a service's running tasks lie over its eligible nodes: the count on each, by node name. Uneven means the
 * fullest eligible node runs at least two tasks more than the emptiest one ({@code max - min >= 2}); that covers an
 * eligible node with none while another runs two or more. One more than another is as even as the replicas allow
 * (5 tasks on 3 nodes are 2, 2, 1), and Swarm's own spread leaves it so.
 */
record Spread(Map<String, Integer> tasksPerNode) {

    Spread {
        tasksPerNode = Map.copyOf(tasksPerNode);
    }

    /** Running tasks on nodes that are not eligible (drained, paused, outside the constraints) are left out. */
    static Spread of(List<NodeInfo> eligible, List<TaskInfo> tasks) {
        Map<String, Integer> counts = new TreeMap<>();
        for (NodeInfo node : eligible) {
            int running = (int) tasks.stream().filter(task -> task.running() && task.nodeId().equals(node.id())).count();
            counts.put(node.name(), running);
        }
        return new Spread(counts);
    }

    boolean uneven() {
        if (tasksPerNode.isEmpty()) {
            return false;
        }
        int max = tasksPerNode.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        int min = tasksPerNode.values().stream().mapToInt(Integer::intValue).min().orElse(0);
        return max - min >= 2;
    }

    /** {@code swr-m1=2 swr-w1=2 swr-w2=0}, by node name. */
    @Override
    public String toString() {
        return new TreeMap<>(tasksPerNode).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" "));
    }
}
