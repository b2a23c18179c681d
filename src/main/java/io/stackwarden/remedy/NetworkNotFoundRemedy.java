package io.stackwarden.remedy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwarden.support.Backoff;
import io.stackwarden.swarm.EngineException;
import io.stackwarden.swarm.NetworkNotFound;
import io.stackwarden.swarm.ServiceTasks;
import io.stackwarden.swarm.SwarmEngine;
import io.stackwarden.swarm.SwarmObject;
import io.stackwarden.swarm.TaskInfo;
import io.stackwarden.swarm.Timestamps;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Retries a service whose tasks failed because their node did not find one of its networks ("no such network":
 * the container overtook the network on that node). The retry is what an operator would do by hand,
 * {@code docker service update --force}: the force-update counter goes up by one, so every task is replaced.
 * A retry waits a short backoff after the failure was first seen, and a service gets at most {@code maxRetries}
 * per spec (a new spec, from the files or by hand, starts the count again). Only failures since the service was
 * last written count, so old failures never cause a retry, nor do the failures of a retry that was already made.
 * The counts are saved with the stack's state ({@link #counts}, {@link #restore}), so a restart does not start over.
 */
public final class NetworkNotFoundRemedy {

    /** The {@code remedy} tag of the metric. */
    public static final String NAME = "network-not-found";

    private static final Logger LOG = Logger.getLogger(NetworkNotFoundRemedy.class.getName());
    private static final int ERROR_LENGTH = 160;

    private final SwarmEngine engine;
    private final Backoff backoff;
    private final int maxRetries;
    private final Clock clock;
    private final Runnable onRetry;
    /** Per stack, per service ID. Touched by one pass of a stack at a time (the work queue's rule). */
    private final Map<String, Map<String, Attempts>> stacks = new ConcurrentHashMap<>();

    /**
     * What the remedy did or waits to do for one stack; {@code pending} asks for a look again soon.
     *
     * @param services the remedy's state of each service it has to do with, by service name
     */
    public record Report(List<String> notes, boolean pending, Map<String, RemedyStatus> services) {
        public static final Report NONE = new Report(List.of(), false, Map.of());
    }

    /** The retries of one service for one spec (its hash, without the force-update counter). */
    private static final class Attempts {
        final String spec;
        volatile int retries;
        Instant due;

        Attempts(String spec) {
            this.spec = spec;
        }
    }

    /**
     * The retries made for one service's spec, as they are saved across restarts.
     *
     * @param spec a hash of the service's spec without its force-update counter
     */
    public record Count(String spec, int retries) {
    }

    /**
     * @param onRetry called once per forced update (the metric)
     */
    public NetworkNotFoundRemedy(SwarmEngine engine, Backoff backoff, int maxRetries, Clock clock, Runnable onRetry) {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must not be negative: " + maxRetries);
        }
        this.engine = engine;
        this.backoff = backoff;
        this.maxRetries = maxRetries;
        this.clock = clock;
        this.onRetry = onRetry;
    }

    /** Three retries per spec, the first 1-2 s after the failure was seen, doubling up to 30 s. */
    public static NetworkNotFoundRemedy withDefaults(SwarmEngine engine, Clock clock, Runnable onRetry) {
        return new NetworkNotFoundRemedy(engine, new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(30)), 3, clock, onRetry);
    }

    /**
     * Looks at the tasks of every service of {@code stack} and forces an update of those whose retry is due.
     * A retry is never made while the service's own update or rollback is under way: it would restart that
     * rollout (someone's {@code docker service update}, or Stackwarden's own); the retry waits for its end.
     *
     * @param services the stack's services with their tasks, as read for this pass
     */
    public Report check(String stack, List<ServiceTasks> services) {
        Map<String, Attempts> attempts = stacks.computeIfAbsent(stack, s -> new ConcurrentHashMap<>());
        Set<String> ids = services.stream().map(s -> s.service().id()).collect(Collectors.toSet());
        attempts.keySet().retainAll(ids);
        if (services.isEmpty()) {
            stacks.remove(stack);
        }
        List<String> notes = new ArrayList<>();
        Map<String, RemedyStatus> states = new TreeMap<>();
        boolean pending = false;
        for (ServiceTasks read : services) {
            SwarmObject service = read.service();
            String spec = specHash(service.spec());
            Attempts state = attempts.compute(service.id(), (id, old) -> old != null && old.spec.equals(spec) ? old : new Attempts(spec));
            Optional<TaskInfo> failure = latestFailure(service, read.tasks());
            if (failure.isEmpty()) {
                state.due = null;
                if (state.retries > 0) {
                    states.put(service.name(), status(RemedyStatus.RETRIED, state, ""));
                    notes.add("retried service " + service.name() + " after a network-not-found failure ("
                            + state.retries + "/" + maxRetries + ")");
                }
                continue;
            }
            String error = shortened(failure.get().error());
            if (state.retries >= maxRetries) {
                states.put(service.name(), status(RemedyStatus.EXHAUSTED, state, error));
                notes.add("service " + service.name() + ": tasks still fail with '" + error + "' after " + maxRetries
                        + " retries; not retried again until its spec changes");
                continue;
            }
            Instant now = clock.instant();
            if (state.due == null) {
                state.due = now.plus(backoff.delay(state.retries));
            }
            pending = true;
            String rollout = rolloutUnderWay(service);
            if (now.isBefore(state.due) || !rollout.isEmpty()) {
                states.put(service.name(), status(RemedyStatus.WAITING, state, error));
                notes.add("service " + service.name() + ": tasks failed with '" + error + "'; retry "
                        + (state.retries + 1) + "/" + maxRetries + (rollout.isEmpty()
                        ? " in " + Duration.between(now, state.due).toSeconds() + "s" : " once its " + rollout + " ends"));
                continue;
            }
            notes.add(retry(service, state, error));
            states.put(service.name(), status(state.due == null ? RemedyStatus.RETRIED : RemedyStatus.WAITING, state, error));
        }
        return notes.isEmpty() && !pending ? Report.NONE : new Report(List.copyOf(notes), pending, Map.copyOf(states));
    }

    private RemedyStatus status(String state, Attempts attempts, String error) {
        return new RemedyStatus(NAME, state, attempts.retries, maxRetries, error);
    }

    /** The service's update or rollback in progress ({@code UpdateStatus.State}), empty when none. */
    private static String rolloutUnderWay(SwarmObject service) {
        String state = service.raw() == null ? "" : service.raw().path("UpdateStatus").path("State").asText("");
        return switch (state) {
            case "updating" -> "update";
            case "rollback_started" -> "rollback";
            default -> "";
        };
    }

    /** The latest task that failed with a network-not-found error since the service was last written. */
    private static Optional<TaskInfo> latestFailure(SwarmObject service, List<TaskInfo> tasks) {
        Instant since = Timestamps.updatedAt(service);
        return tasks.stream()
                .filter(task -> task.failed() && NetworkNotFound.in(task.error()) && !task.timestamp().isBefore(since))
                .max(Comparator.comparing(TaskInfo::timestamp));
    }

    private String retry(SwarmObject service, Attempts state, String error) {
        ObjectNode spec = service.spec().deepCopy();
        ObjectNode template = spec.with("TaskTemplate");
        template.put("ForceUpdate", template.path("ForceUpdate").asLong(0) + 1);
        try {
            engine.update(SwarmObject.Kind.SERVICE, service.id(), service.version(), spec);
        } catch (EngineException e) {
            // Someone wrote in between, or the engine is busy: the retry stays due for the next pass.
            return "service " + service.name() + ": retry after '" + error + "' failed: " + e.getMessage();
        }
        state.retries++;
        state.due = null;
        onRetry.run();
        String note = "retried service " + service.name() + " after '" + error + "' (" + state.retries + "/" + maxRetries + ")";
        LOG.info(note);
        return note;
    }

    /** The spec as far as it decides the retry count (the force-update counter is the retry itself), hashed. */
    private static String specHash(ObjectNode spec) {
        ObjectNode copy = spec.deepCopy();
        if (copy.path("TaskTemplate") instanceof ObjectNode template) {
            template.remove("ForceUpdate");
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(copy.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The retries made per service ID of {@code stack}, for the services that have any, to be saved. */
    public Map<String, Count> counts(String stack) {
        Map<String, Count> counts = new TreeMap<>();
        stacks.getOrDefault(stack, Map.of()).forEach((service, attempts) -> {
            if (attempts.retries > 0) {
                counts.put(service, new Count(attempts.spec, attempts.retries));
            }
        });
        return counts;
    }

    /**
     * Takes the saved retries of {@code stack} (after a restart or a take-over) in place of what this instance counted:
     * a service whose spec is still the one counted goes on from there, one whose spec changed starts again.
     */
    public void restore(String stack, Map<String, Count> counts) {
        Map<String, Attempts> attempts = new ConcurrentHashMap<>();
        counts.forEach((service, count) -> {
            Attempts restored = new Attempts(count.spec());
            restored.retries = count.retries();
            attempts.put(service, restored);
        });
        if (attempts.isEmpty()) {
            stacks.remove(stack);
        } else {
            stacks.put(stack, attempts);
        }
    }

    /** Forgets every count, as a new instance starts (a standby does not keep counts of its own). */
    public void forgetAll() {
        stacks.clear();
    }

    private static String shortened(String error) {
        return error.length() <= ERROR_LENGTH ? error : error.substring(0, ERROR_LENGTH) + "...";
    }
}
