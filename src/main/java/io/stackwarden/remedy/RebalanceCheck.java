package io.stackwarden.remedy;

import com.fasterxml.jackson.databind.JsonNode;
import io.stackwarden.swarm.NodeInfo;
import io.stackwarden.swarm.SwarmObject;
import io.stackwarden.swarm.TaskInfo;

import java.util.List;
import java.util.Optional;

/**
 * Whether one service may be spread again now, and whether it needs to be: the rebalance's safety limits, from the
 * service's spec, its tasks and the nodes. Never a service that is not replicated (global services run one task per
 * node; jobs run to completion), never one pinned to one node, bound to a node's data or spread by placement
 * preferences, never while its update or rollback is unfinished, and only once its tasks are all running.
 */
final class RebalanceCheck {

    private RebalanceCheck() {
    }

    enum Kind {
        /** Not a replicated service: the rebalance has nothing to do with it. */
        NOT_APPLICABLE,
        /** A safety limit keeps it where it is; {@code reason} says which. */
        SKIP,
        /** Not now: its rollout is unfinished or its tasks are not all running. */
        WAIT,
        /** Spread as evenly as its replicas allow. */
        EVEN,
        /** Spread unevenly: a forced update would spread it again. */
        UNEVEN
    }

    /** @param spread its running tasks per eligible node, for {@code EVEN} and {@code UNEVEN} */
    record Verdict(Kind kind, String reason, Spread spread) {

        static Verdict of(Kind kind, String reason) {
            return new Verdict(kind, reason, new Spread(java.util.Map.of()));
        }
    }

    static Verdict of(SwarmObject service, List<TaskInfo> tasks, List<NodeInfo> nodes) {
        JsonNode spec = service.spec();
        JsonNode replicas = spec.path("Mode").path("Replicated").path("Replicas");
        if (!spec.path("Mode").has("Replicated")) {
            return Verdict.of(Kind.NOT_APPLICABLE, "not a replicated service");
        }
        Optional<String> pinned = Eligibility.pinnedBy(service);
        if (pinned.isPresent()) {
            return Verdict.of(Kind.SKIP, "pinned to one node (" + pinned.get() + ")");
        }
        Optional<String> bound = nodeData(spec);
        if (bound.isPresent()) {
            return Verdict.of(Kind.SKIP, "its data stays on its node (" + bound.get() + "): a task moved elsewhere "
                    + "would start without it");
        }
        if (!spec.path("TaskTemplate").path("Placement").path("Preferences").isEmpty()) {
            return Verdict.of(Kind.SKIP, "placement preferences spread it over node labels, not over nodes");
        }
        List<NodeInfo> eligible = Eligibility.of(service, nodes);
        if (eligible.size() < 2) {
            return Verdict.of(Kind.SKIP, eligible.isEmpty() ? "no eligible node" : "one eligible node only ("
                    + eligible.get(0).name() + ")");
        }
        Optional<String> rollout = Rollout.of(service).unfinished();
        if (rollout.isPresent()) {
            return Verdict.of(Kind.WAIT, "its " + rollout.get() + " is not finished");
        }
        long running = tasks.stream().filter(TaskInfo::running).count();
        boolean starting = tasks.stream().anyMatch(TaskInfo::starting);
        if (running != replicas.asLong(1) || starting) {
            return Verdict.of(Kind.WAIT, running + " of " + replicas.asLong(1) + " tasks running");
        }
        Spread spread = Spread.of(eligible, tasks);
        return new Verdict(spread.uneven() ? Kind.UNEVEN : Kind.EVEN, "", spread);
    }

    /**
     * A mount whose data is the node's own: a bind mount (a path of that node), or a volume of the {@code local}
     * driver (the default; created empty on whichever node the task lands). Volumes of other drivers (NFS, cloud
     * storage plugins) follow the task. A local volume with NFS options is still taken as the node's own: the
     * options do not say reliably whether its data is shared.
     */
    static Optional<String> nodeData(JsonNode spec) {
        for (JsonNode mount : spec.path("TaskTemplate").path("ContainerSpec").path("Mounts")) {
            String type = mount.path("Type").asText("volume");
            String source = mount.path("Source").asText("");
            if (type.equals("bind")) {
                return Optional.of("bind mount " + source);
            }
            String driver = mount.path("VolumeOptions").path("DriverConfig").path("Name").asText("");
            if (type.equals("volume") && (driver.isEmpty() || driver.equals("local"))) {
                return Optional.of(source.isEmpty() ? "an anonymous local volume" : "local volume " + source);
            }
        }
        return Optional.empty();
    }
}
