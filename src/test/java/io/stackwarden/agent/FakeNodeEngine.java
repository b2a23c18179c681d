package io.stackwarden.agent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A node's engine in memory: containers, and a helper whose shim kill ends the container (as containerd does). */
class FakeNodeEngine implements NodeEngine {

    final Map<String, Container> containers = new LinkedHashMap<>();
    final List<String> killed = new ArrayList<>();
    final List<String> removed = new ArrayList<>();
    /** What the helper answers; by default it finds and kills shim pid 4242. */
    HelperRun helper = new HelperRun(ShimKill.KILLED, "killed 4242\n");
    /** Whether the container ends when its shim is killed. */
    boolean shimKillEndsContainer = true;

    @Override
    public String nodeId() {
        return "node1";
    }

    void add(String id, boolean running, Map<String, String> labels) {
        containers.put(id, new Container(id, labels, running, running ? "running" : "exited"));
    }

    @Override
    public Optional<Container> container(String id) {
        return Optional.ofNullable(containers.get(id));
    }

    @Override
    public List<Container> containersLabelled(String labelKey) {
        return containers.values().stream().filter(c -> c.labels().containsKey(labelKey)).toList();
    }

    @Override
    public void remove(String id) {
        removed.add(id);
        containers.remove(id);
    }

    @Override
    public HelperRun killShim(String containerId) {
        killed.add(containerId);
        if (helper.exitCode() == ShimKill.KILLED && shimKillEndsContainer) {
            Container before = containers.get(containerId);
            containers.put(containerId, new Container(containerId, before.labels(), false, "exited"));
        }
        return helper;
    }
}
