package io.stackwarden.remedy;

import io.stackwarden.support.Backoff;
import io.stackwarden.swarm.EngineException;
import io.stackwarden.swarm.NodeInfo;
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
 * Completes global services: an eligible node ({@link Eligibility}) without a running task of a global service is
 * reported with the node and the error of its latest task there. Swarm gives up on a node when the service's restart
 * policy allows no more attempts ({@code max_attempts}, or {@code condition: none}/{@code on-failure} after a
 * failure), and a task it gave up on is not retried even when its cause is gone (an image pulled since, a port freed,
 * a directory made). When no task is on its way to that node, the service gets a forced update after a backoff, at
 * most {@code maxRetries} per spec; a node still without a task after that is reported as exhausted with the task
 * error. While Swarm itself is still starting or restarting a task there, the remedy only reports.
 */
public final class GlobalCompletion implements StackRemedy {

    /** The {@code remedy} tag of the metric. */
    public static final String NAME = "global-complete";

    private static final Logger LOG = Logger.getLogger(GlobalCompletion.class.getName());
    /** How long after a write Swarm may still be creating the tasks: a node without any task is no gap yet. */
    static final Duration NEW_TASKS = Duration.ofSeconds(30);

    private final SwarmEngine engine;
    private final NodeView nodes;
    private final Backoff backoff;
    private final int maxRetries;
    private final Clock clock;
    private final RemedyMetrics metrics;
    private final Retries retries = new Retries();

    /** A node without a running task: the error of its latest failed task there, and whether another is on its way. */
    private record Gap(NodeInfo node, String error, boolean starting) {

        @Override
        public String toString() {
            return node.name() + " (" + (starting ? "starting" : error.isEmpty() ? "no task" : error) + ")";
        }
    }

    public GlobalCompletion(SwarmEngine engine, NodeView nodes, Backoff backoff, int maxRetries, Clock clock,
                            RemedyMetrics metrics) {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must not be negative: " + maxRetries);
        }
        this.engine = engine;
        this.nodes = nodes;
        this.backoff = backoff;
        this.maxRetries = maxRetries;
        this.clock = clock;
        this.metrics = metrics;
    }

    @Override
    public Map<String, Retries> retries() {
        return Map.of(NAME, retries);
    }

    @Override
    public RemedyReport check(RemedyInput input) {
        List<ServiceTasks> global = input.services().stream()
                .filter(read -> read.service().spec().path("Mode").has("Global")).toList();
        retries.keep(input.stack(), global.stream().map(read -> read.service().id()).collect(Collectors.toSet()));
        if (global.isEmpty()) {
            return RemedyReport.NONE;
        }
        List<NodeInfo> known = nodes.nodes();
        List<String> notes = new ArrayList<>();
        Map<String, RemedyStatus> statuses = new TreeMap<>();
        boolean pending = false;
        for (ServiceTasks read : global) {
            SwarmObject service = read.service();
            Retries.Attempts state = retries.of(input.stack(), service);
            boolean justWritten = Timestamps.updatedAt(service).isAfter(clock.instant().minus(NEW_TASKS));
            List<Gap> gaps = gaps(Eligibility.of(service, known), read.tasks(), justWritten);
            if (gaps.isEmpty()) {
                state.due = null;
                if (state.retries > 0) {
                    statuses.put(service.name(), status(RemedyStatus.RETRIED, state, "", "a task runs on every eligible node"));
                }
                continue;
            }
            pending |= gapsOf(service, state, gaps, input, notes, statuses);
        }
        return RemedyReport.of(notes, pending, statuses);
    }

    /** What to do about a service with gaps; whether it asks for a look again soon. */
    private boolean gapsOf(SwarmObject service, Retries.Attempts state, List<Gap> gaps, RemedyInput input, List<String> notes,
                           Map<String, RemedyStatus> statuses) {
        String error = gaps.stream().map(Gap::error).filter(e -> !e.isEmpty()).findFirst().map(RemedyStatus::shortened).orElse("");
        String missing = "no running task on " + gaps.stream().map(Gap::toString).collect(Collectors.joining(", "));
        boolean swarmStarting = gaps.stream().allMatch(Gap::starting);
        if (swarmStarting && error.isEmpty() && state.retries == 0) {
            return true; // tasks on their way and nothing failed: progress, not a gap to report
        }
        // Swarm's own attempt or rollout first: the backoff starts once nothing is on its way.
        Optional<String> wait = swarmStarting ? Optional.of("Swarm is starting a task there")
                : Rollout.of(service).unfinished().map(rollout -> "its " + rollout + " is not finished");
        if (wait.isPresent()) {
            state.due = null;
            return waiting(service, state, error, missing + "; " + wait.get(), notes, statuses);
        }
        if (state.retries >= maxRetries) {
            if (!state.exhaustedCounted) {
                state.exhaustedCounted = true;
                metrics.count(NAME, RemedyOutcome.EXHAUSTED);
            }
            statuses.put(service.name(), status(RemedyStatus.EXHAUSTED, state, error, missing));
            notes.add("global service " + service.name() + ": " + missing + " after " + maxRetries
                    + " retries; not retried again until its spec changes");
            return false;
        }
        Instant now = clock.instant();
        if (state.due == null) {
            state.due = now.plus(backoff.delay(state.retries));
        }
        if (now.isBefore(state.due)) {
            return waiting(service, state, error, missing + "; retry " + (state.retries + 1) + "/" + maxRetries + " in "
                    + Duration.between(now, state.due).toSeconds() + "s", notes, statuses);
        }
        Optional<String> refused = input.writesRefused().get();
        if (refused.isPresent()) {
            return waiting(service, state, error, missing + "; no write: " + refused.get(), notes, statuses);
        }
        try {
            ForcedUpdate.of(engine, service);
        } catch (EngineException e) {
            metrics.count(NAME, RemedyOutcome.FAILED);
            return waiting(service, state, error, missing + "; retry failed: " + e.getMessage(), notes, statuses);
        }
        metrics.count(NAME, RemedyOutcome.APPLIED);
        state.retries++;
        state.due = null;
        String note = "retried global service " + service.name() + ": " + missing + " (" + state.retries + "/" + maxRetries + ")";
        LOG.info(note);
        notes.add(note);
        statuses.put(service.name(), status(RemedyStatus.WAITING, state, error, missing + "; retried"));
        return true;
    }

    private boolean waiting(SwarmObject service, Retries.Attempts state, String error, String detail, List<String> notes,
                            Map<String, RemedyStatus> statuses) {
        statuses.put(service.name(), status(RemedyStatus.WAITING, state, error, detail));
        notes.add("global service " + service.name() + ": " + detail);
        return true;
    }

    /**
     * The eligible nodes without a running task, each with its latest failed task's error and whether one is on its
     * way: a task starting or waiting out its restart delay, or none yet on a service written just now.
     */
    private static List<Gap> gaps(List<NodeInfo> eligible, List<TaskInfo> tasks, boolean justWritten) {
        List<Gap> gaps = new ArrayList<>();
        for (NodeInfo node : eligible) {
            List<TaskInfo> here = tasks.stream().filter(task -> task.nodeId().equals(node.id())).toList();
            if (here.stream().anyMatch(TaskInfo::running)) {
                continue;
            }
            String error = here.stream().filter(TaskInfo::failed).max(Comparator.comparing(TaskInfo::timestamp))
                    .map(task -> task.error().isEmpty() ? task.state() : task.error()).orElse("");
            gaps.add(new Gap(node, error, here.isEmpty() && justWritten || here.stream().anyMatch(GlobalCompletion::onItsWay)));
        }
        return gaps;
    }

    /** Created, or waiting out its restart delay (desired {@code ready}), and not ended yet. */
    private static boolean onItsWay(TaskInfo task) {
        return task.starting() || "ready".equals(task.desiredState()) && !task.failed()
                && !List.of("complete", "shutdown", "orphaned", "remove").contains(task.state());
    }

    private RemedyStatus status(String state, Retries.Attempts attempts, String error, String detail) {
        return new RemedyStatus(NAME, state, attempts.retries, maxRetries, error, detail);
    }
}
