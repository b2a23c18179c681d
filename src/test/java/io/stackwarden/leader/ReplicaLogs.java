package io.stackwarden.leader;

import io.stackwarden.lab.Lab;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The logs of every container a deployed service ever ran on the lab's managers, read as when each replica acted and
 * when it wrote to the swarm, to check that no two replicas ever acted, let alone wrote, at the same time.
 */
final class ReplicaLogs {

    /** A write the engine took, as the one write gate logs it (passes and remedies alike). */
    private static final Pattern WRITE = Pattern.compile("\\[io\\.st\\.lo\\.GatedSwarmEngine] swarm write: ");
    private static final Pattern STARTS = Pattern.compile("\\[io\\.st\\.lo\\.Acting] acting as ");
    private static final Pattern STOPS = Pattern.compile("stopped acting|stopped leading");

    /** When one container acted (end: when it said it stopped, or its last line), and the writes it logged. */
    record Replica(String node, String container, List<Interval> acting, List<Instant> writes) {
    }

    record Interval(Instant from, Instant to) {
        boolean overlaps(Interval other) {
            return from.isBefore(other.to) && other.from.isBefore(to);
        }

        boolean holds(Instant at) {
            return !at.isBefore(from) && !at.isAfter(to);
        }
    }

    private ReplicaLogs() {
    }

    /** Every container of {@code service} on the given managers of the lab {@code env} names, running or not, with its log. */
    static List<Replica> read(String service, List<String> managers, java.util.Map<String, String> env) {
        List<Replica> replicas = new ArrayList<>();
        for (String node : managers) {
            String ids = Lab.labWith(env, "docker", node, "ps", "-aq", "--no-trunc", "--filter",
                    "label=com.docker.swarm.service.name=" + service);
            for (String id : ids.trim().split("\\s+")) {
                if (!id.isBlank()) {
                    replicas.add(parse(node, id, Lab.labWith(env, "docker", node, "logs", "-t", id)));
                }
            }
        }
        return replicas;
    }

    /** One container's log, each line prefixed by the engine's timestamp ({@code docker logs -t}). */
    static Replica parse(String node, String container, String log) {
        List<Interval> acting = new ArrayList<>();
        List<Instant> writes = new ArrayList<>();
        Instant from = null;
        Instant last = Instant.EPOCH;
        for (String line : log.split("\n")) {
            int space = line.indexOf(' ');
            if (space < 20) {
                continue;
            }
            Instant at;
            try {
                at = Instant.parse(line.substring(0, space));
            } catch (java.time.format.DateTimeParseException e) {
                continue;
            }
            last = at;
            String text = line.substring(space + 1);
            if (STARTS.matcher(text).find() && from == null) {
                from = at;
            } else if (STOPS.matcher(text).find() && from != null) {
                acting.add(new Interval(from, at));
                from = null;
            } else if (WRITE.matcher(text).find()) {
                writes.add(at);
            }
        }
        if (from != null) {
            acting.add(new Interval(from, last));
        }
        return new Replica(node, container, acting, writes);
    }

    /** Why the replicas did not act one at a time, or wrote while not acting; empty when all is well. */
    static List<String> problems(List<Replica> replicas) {
        List<String> problems = new ArrayList<>();
        for (Replica replica : replicas) {
            for (Instant write : replica.writes()) {
                if (replica.acting().stream().noneMatch(interval -> interval.holds(write))) {
                    problems.add(replica.node() + "/" + replica.container().substring(0, 12) + " wrote at " + write
                            + " while not acting " + replica.acting());
                }
            }
        }
        for (int i = 0; i < replicas.size(); i++) {
            for (int j = i + 1; j < replicas.size(); j++) {
                for (Interval a : replicas.get(i).acting()) {
                    for (Interval b : replicas.get(j).acting()) {
                        if (a.overlaps(b)) {
                            problems.add("two replicas acted at once: " + replicas.get(i).node() + " " + a + " and "
                                    + replicas.get(j).node() + " " + b);
                        }
                    }
                }
            }
        }
        return problems;
    }
}
