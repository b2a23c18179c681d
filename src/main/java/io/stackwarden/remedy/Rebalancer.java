package io.stackwarden.remedy;

import io.stackwarden.swarm.EngineException;
import io.stackwarden.swarm.ServiceTasks;
import io.stackwarden.swarm.SwarmEngine;
import io.stackwarden.swarm.SwarmObject;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.logging.Logger;

/**
 * Spreads opted-in services again when a node returns. Swarm places tasks only when they start, so a node that was
 * down, drained or paused stays empty after it returns while the others carry its share. When a node becomes ready
 * and active again, each opted-in service that is spread unevenly over its eligible nodes ({@link Spread}) gets one
 * forced update, which Swarm carries out along the service's {@code update_config}, placing each new task on the
 * emptiest node. Once per return: a service that is still uneven afterwards (say, for lack of resources) waits for
 * the next return, so nothing loops.
 *
 * <p>Safety limits: see {@link RebalanceCheck}; besides, one service in the whole swarm at a time (the next waits
 * until Swarm reports the previous one's update ended, at most {@code maxWait}), at most one forced update per
 * service per {@code minInterval} (a return within it is skipped for that service), and no write while writes are
 * refused (quorum lost). Shared by the passes of every stack, so its methods are synchronized.
 */
public final class Rebalancer implements StackRemedy {

    /** The {@code remedy} tag of the metric. */
    public static final String NAME = "rebalance";

    private static final Logger LOG = Logger.getLogger(Rebalancer.class.getName());

    private final SwarmEngine engine;
    private final NodeView nodes;
    private final Clock clock;
    private final Duration minInterval;
    private final Duration maxWait;
    private final RemedyMetrics metrics;
    /** Per stack, per service ID: the opted-in services seen. */
    private final Map<String, Map<String, Handled>> stacks = new HashMap<>();
    private InFlight inFlight;

    /** What the rebalance did about one service. */
    private static final class Handled {
        /** Returns up to this one are dealt with; a service first seen now has nothing to catch up on. */
        Instant returnSeen;
        Instant lastForced;
        int forced;
        RemedyStatus status;

        Handled(Instant now) {
            this.returnSeen = now;
        }
    }

    /** The service whose forced update the others wait for, and its rollout as it was before the write. */
    private record InFlight(String serviceId, String name, Rollout before, Instant since) {
    }

    /**
     * @param minInterval the shortest time between two forced updates of one service
     * @param maxWait     the longest the next service waits for the previous one's update to end
     */
    public Rebalancer(SwarmEngine engine, NodeView nodes, Clock clock, Duration minInterval, Duration maxWait,
                      RemedyMetrics metrics) {
        this.engine = engine;
        this.nodes = nodes;
        this.clock = clock;
        this.minInterval = minInterval;
        this.maxWait = maxWait;
        this.metrics = metrics;
    }

    @Override
    public synchronized RemedyReport check(RemedyInput input) {
        Map<String, Handled> handled = stacks.computeIfAbsent(input.stack(), s -> new HashMap<>());
        List<ServiceTasks> optedIn = input.services().stream()
                .filter(read -> input.rebalance().contains(read.service().name()))
                .sorted(Comparator.comparing(read -> read.service().name())).toList();
        handled.keySet().retainAll(optedIn.stream().map(read -> read.service().id()).toList());
        if (handled.isEmpty() && optedIn.isEmpty()) {
            stacks.remove(input.stack());
        }
        settleInFlight(input.services());
        Optional<NodeView.Return> latest = nodes.latestReturn();
        List<String> notes = new ArrayList<>();
        Map<String, RemedyStatus> statuses = new TreeMap<>();
        boolean pending = false;
        for (ServiceTasks read : optedIn) {
            Handled state = handled.computeIfAbsent(read.service().id(), id -> new Handled(clock.instant()));
            if (latest.isPresent() && latest.get().at().isAfter(state.returnSeen)) {
                pending |= consider(read, state, latest.get(), input, notes);
            }
            if (state.status != null) {
                statuses.put(read.service().name(), state.status);
            }
        }
        return RemedyReport.of(notes, pending, statuses);
    }

    /** One service after a return it has not dealt with; whether it waits (asks for a look again soon). */
    private boolean consider(ServiceTasks read, Handled state, NodeView.Return latest, RemedyInput input, List<String> notes) {
        SwarmObject service = read.service();
        RebalanceCheck.Verdict verdict = RebalanceCheck.of(service, read.tasks(), nodes.nodes());
        switch (verdict.kind()) {
            case NOT_APPLICABLE, EVEN -> {
                state.returnSeen = latest.at();
                return false;
            }
            case SKIP -> {
                state.returnSeen = latest.at();
                state.status = status(RemedyStatus.SKIPPED, state, "", verdict.reason());
                notes.add("service " + service.name() + " not rebalanced after node " + latest.node() + " returned: "
                        + verdict.reason());
                return false;
            }
            case WAIT -> {
                return waiting(service, state, verdict.reason(), notes);
            }
            default -> {
                return uneven(service, state, latest, verdict.spread(), input, notes);
            }
        }
    }

    private boolean uneven(SwarmObject service, Handled state, NodeView.Return latest, Spread spread, RemedyInput input,
                           List<String> notes) {
        Instant now = clock.instant();
        if (state.lastForced != null && now.isBefore(state.lastForced.plus(minInterval))) {
            state.returnSeen = latest.at();
            state.status = status(RemedyStatus.SKIPPED, state, "", "tasks per node " + spread + "; rebalanced at "
                    + state.lastForced + ", less than " + minInterval.toMinutes() + " min before; the next return may");
            notes.add("service " + service.name() + " not rebalanced again so soon (" + spread + ")");
            return false;
        }
        Optional<String> refused = input.writesRefused().get();
        if (refused.isPresent()) {
            return waiting(service, state, "no write: " + refused.get(), notes);
        }
        if (inFlight != null && !inFlight.serviceId().equals(service.id())) {
            return waiting(service, state, "one service at a time: waits for the rebalance of " + inFlight.name(), notes);
        }
        Rollout before = Rollout.of(service);
        try {
            ForcedUpdate.of(engine, service);
        } catch (EngineException e) {
            metrics.count(NAME, RemedyOutcome.FAILED);
            state.status = status(RemedyStatus.WAITING, state, RemedyStatus.shortened(e.getMessage()), "tasks per node " + spread);
            notes.add("service " + service.name() + ": rebalance failed, tried again: " + e.getMessage());
            return true;
        }
        metrics.count(NAME, RemedyOutcome.APPLIED);
        inFlight = new InFlight(service.id(), service.name(), before, now);
        state.returnSeen = latest.at();
        state.lastForced = now;
        state.forced++;
        state.status = status(RemedyStatus.REBALANCED, state, "", "node " + latest.node() + " returned; tasks per node were "
                + spread);
        String note = "rebalanced service " + service.name() + " after node " + latest.node() + " returned (tasks per node were "
                + spread + ")";
        LOG.info(note);
        notes.add(note);
        return true;
    }

    private boolean waiting(SwarmObject service, Handled state, String why, List<String> notes) {
        state.status = status(RemedyStatus.WAITING, state, "", why);
        notes.add("service " + service.name() + ": rebalance waits: " + why);
        return true;
    }

    /** The service in flight is done when its new update ended (or it is gone, or it took longer than {@code maxWait}). */
    private void settleInFlight(List<ServiceTasks> read) {
        if (inFlight == null) {
            return;
        }
        Optional<SwarmObject> current;
        Optional<ServiceTasks> here = read.stream().filter(r -> r.service().id().equals(inFlight.serviceId())).findFirst();
        try {
            current = here.isPresent() ? Optional.of(here.get().service())
                    : engine.inspect(SwarmObject.Kind.SERVICE, inFlight.serviceId());
        } catch (EngineException e) {
            return; // not known now: the next check looks again
        }
        if (current.isEmpty() || Rollout.of(current.get()).endedSince(inFlight.before())) {
            inFlight = null;
        } else if (clock.instant().isAfter(inFlight.since().plus(maxWait))) {
            LOG.warning(() -> "the rebalance of " + inFlight.name() + " has not ended after " + maxWait
                    + "; the next service goes ahead");
            inFlight = null;
        }
    }

    private static RemedyStatus status(String state, Handled handled, String error, String detail) {
        return new RemedyStatus(NAME, state, handled.forced, 0, error, detail);
    }
}
