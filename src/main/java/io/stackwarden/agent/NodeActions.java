package io.stackwarden.agent;

import io.stackwarden.agent.ActionResult.Outcome;
import io.stackwarden.compose.engine.StackLabels;
import io.stackwarden.swarm.EngineException;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agent's actions and the checks before each. An action is about one container the agent looks up itself
 * on its own node: exactly the full container ID asked for, carrying the swarm task ID label and the stack label
 * the request names. Anything else is refused and nothing is done. Mutating actions run one at a time.
 */
public final class NodeActions {

    /** Set by swarm on every task container. */
    public static final String TASK_LABEL = "com.docker.swarm.task.id";
    public static final String SERVICE_LABEL = "com.docker.swarm.service.id";

    private static final Pattern FULL_ID = Pattern.compile("[0-9a-f]{64}");
    /** Swarm's IDs: 25 characters of base 36. */
    private static final Pattern TASK_ID = Pattern.compile("[0-9a-z]{25}");
    private static final Pattern KILLED_PID = Pattern.compile("killed ([0-9]+)");

    private final NodeEngine engine;
    private final Waiting waiting;
    private final Duration stopWait;

    /** Waits until a condition holds, at most {@code bound}; true when it held. */
    @FunctionalInterface
    public interface Waiting {
        boolean until(Duration bound, BooleanSupplier condition);
    }

    /** @param stopWait how long, after the shim was killed, the engine may take to report the container not running */
    public NodeActions(NodeEngine engine, Waiting waiting, Duration stopWait) {
        this.engine = engine;
        this.waiting = waiting;
        this.stopWait = stopWait;
    }

    /** The stuck task remedy: kills the container's shim if it still runs, then waits for its engine to see it end. */
    public synchronized ActionResult killShim(ActionRequest request) {
        return checked(request, container -> {
            if (!container.running()) {
                return result(Outcome.NOT_STUCK_ANYMORE, request, 0, "the container is " + container.state());
            }
            NodeEngine.HelperRun run = engine.killShim(container.id());
            if (run.exitCode() == ShimKill.NO_SHIM) {
                return result(Outcome.NOT_FOUND, request, 0, "no " + ShimKill.SHIM + " process of the container");
            }
            Matcher killed = KILLED_PID.matcher(run.output());
            if (run.exitCode() != ShimKill.KILLED || !killed.find()) {
                return result(Outcome.FAILED, request, 0, "the helper container exited " + run.exitCode() + ": "
                        + run.output().strip());
            }
            long pid = Long.parseLong(killed.group(1));
            boolean ended = waiting.until(stopWait, () -> engine.container(container.id())
                    .map(now -> !now.running()).orElse(true));
            return ended ? result(Outcome.KILLED, request, pid, "shim killed; the engine reports the container ended")
                    : result(Outcome.FAILED, request, pid, "shim killed, but the engine still reports the container running after "
                    + stopWait.toSeconds() + "s");
        });
    }

    /** The leftover remedy: removes the container (stopping it first if it runs). */
    public synchronized ActionResult removeLeftover(ActionRequest request) {
        return checked(request, container -> {
            engine.remove(container.id());
            return result(Outcome.REMOVED, request, 0, "removed (it was " + container.state() + ")");
        });
    }

    /** This node's containers of the named stacks that carry a swarm task label; no others, and nothing but labels. */
    public Candidates candidates(CandidatesRequest request) {
        Set<String> stacks = Set.copyOf(request.stacks() == null ? List.of() : request.stacks());
        List<LeftoverCandidate> found = engine.containersLabelled(StackLabels.NAMESPACE).stream()
                .filter(c -> stacks.contains(c.labels().get(StackLabels.NAMESPACE)) && c.labels().containsKey(TASK_LABEL))
                .map(c -> new LeftoverCandidate(c.id(), c.labels().get(TASK_LABEL), c.labels().getOrDefault(SERVICE_LABEL, ""),
                        c.labels().get(StackLabels.NAMESPACE), c.state()))
                .toList();
        return new Candidates(engine.nodeId(), found);
    }

    public String nodeId() {
        return engine.nodeId();
    }

    private interface Act {
        ActionResult on(NodeEngine.Container container);
    }

    /** Acts on the container only when it is the one the request describes. */
    private ActionResult checked(ActionRequest request, Act act) {
        Optional<String> invalid = invalid(request);
        if (invalid.isPresent()) {
            return result(Outcome.REFUSED, request, 0, invalid.get());
        }
        try {
            Optional<NodeEngine.Container> found = engine.container(request.container());
            if (found.isEmpty()) {
                return result(Outcome.NOT_FOUND, request, 0, "no such container on this node");
            }
            NodeEngine.Container container = found.get();
            String task = container.labels().getOrDefault(TASK_LABEL, "");
            String stack = container.labels().getOrDefault(StackLabels.NAMESPACE, "");
            if (!container.id().equals(request.container()) || !task.equals(request.task())) {
                return result(Outcome.REFUSED, request, 0, "the container is not of task " + request.task()
                        + (task.isEmpty() ? " (it is no swarm task's)" : ""));
            }
            if (!stack.equals(request.stack())) {
                return result(Outcome.REFUSED, request, 0, "the container is not of stack " + request.stack());
            }
            return act.on(container);
        } catch (EngineException e) {
            return result(Outcome.FAILED, request, 0, e.getMessage());
        }
    }

    private static Optional<String> invalid(ActionRequest request) {
        if (request.container() == null || !FULL_ID.matcher(request.container()).matches()) {
            return Optional.of("container must be a full container ID (64 hex digits)");
        }
        if (request.task() == null || !TASK_ID.matcher(request.task()).matches()) {
            return Optional.of("task must be a swarm task ID");
        }
        if (request.stack() == null || request.stack().isEmpty()) {
            return Optional.of("stack must be named");
        }
        return Optional.empty();
    }

    private ActionResult result(Outcome outcome, ActionRequest request, long pid, String detail) {
        // Only a well-formed ID is echoed: the result is logged and returned.
        String container = request.container() != null && FULL_ID.matcher(request.container()).matches() ? request.container() : "";
        return new ActionResult(outcome, engine.nodeId(), container, pid, detail);
    }
}
