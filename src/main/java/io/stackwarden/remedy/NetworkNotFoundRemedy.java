package io.stackwarden.remedy;

import io.stackwarden.support.Backoff;
import io.stackwarden.swarm.EngineException;
import io.stackwarden.swarm.NetworkNotFound;
import io.stackwarden.swarm.ServiceTasks;
import io.stackwarden.swarm.SwarmEngine;
import io.stackwarden.swarm.SwarmObject;
import io.stackwarden.swarm.TaskInfo;
import io.stackwarden.swarm.Timestamps;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Retries a service whose tasks failed because their node did not find one of its networks ("no such network":
 * the container overtook the network on that node). The retry is what an operator would do by hand,
 * {@code docker service update --force}: the force-update counter goes up by one, so every task is replaced.
 * A retry waits a short backoff after the failure was first seen, and a service gets at most {@code maxRetries}
 * per spec (a new spec, from the files or by hand, starts the count again). Only failures since the service was
 * last written count, so old failures never cause a retry, nor do the failures of a retry that was already made.
 */
public final class NetworkNotFoundRemedy implements StackRemedy {

    /** The {@code remedy} tag of the metric. */
    public static final String NAME = "network-not-found";

    private static final Logger LOG = Logger.getLogger(NetworkNotFoundRemedy.class.getName());

    private final SwarmEngine engine;
    private final Backoff backoff;
    private final int maxRetries;
    private final Clock clock;
    private final Runnable onRetry;
    private final Retries retries = new Retries();

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

    @Override
    public Map<String, Retries> retries() {
        return Map.of(NAME, retries);
    }

    @Override
    public RemedyReport check(RemedyInput input) {
        return check(input.stack(), input.services());
    }

    /**
     * Looks at the tasks of every service of {@code stack} and forces an update of those whose retry is due.
     * A retry is never made while the service's own update or rollback is under way: it would restart that
     * rollout (someone's {@code docker service update}, or Stackwarden's own); the retry waits for its end.
     *
     * @param services the stack's services with their tasks, as read for this pass
     */
    public RemedyReport check(String stack, List<ServiceTasks> services) {
        retries.keep(stack, services.stream().map(s -> s.service().id()).collect(Collectors.toSet()));
        List<String> notes = new ArrayList<>();
        Map<String, RemedyStatus> states = new TreeMap<>();
        boolean pending = false;
        for (ServiceTasks read : services) {
            SwarmObject service = read.service();
            Retries.Attempts state = retries.of(stack, service);
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
            String error = RemedyStatus.shortened(failure.get().error());
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
            String rollout = Rollout.of(service).inProgress().orElse("");
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
        return notes.isEmpty() && !pending ? RemedyReport.NONE : RemedyReport.of(notes, pending, states);
    }

    private RemedyStatus status(String state, Retries.Attempts attempts, String error) {
        return new RemedyStatus(NAME, state, attempts.retries, maxRetries, error);
    }

    /** The latest task that failed with a network-not-found error since the service was last written. */
    private static Optional<TaskInfo> latestFailure(SwarmObject service, List<TaskInfo> tasks) {
        Instant since = Timestamps.updatedAt(service);
        return tasks.stream()
                .filter(task -> task.failed() && NetworkNotFound.in(task.error()) && !task.timestamp().isBefore(since))
                .max(Comparator.comparing(TaskInfo::timestamp));
    }

    private String retry(SwarmObject service, Retries.Attempts state, String error) {
        try {
            ForcedUpdate.of(engine, service);
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
}
