package io.stackwarden.remedy.node;

import io.stackwarden.agent.ActionRequest;
import io.stackwarden.agent.ActionResult;
import io.stackwarden.agent.AgentAction;
import io.stackwarden.agent.CandidatesRequest;
import io.stackwarden.agent.LeftoverCandidate;
import io.stackwarden.remedy.RemedyInput;
import io.stackwarden.remedy.RemedyReport;
import io.stackwarden.remedy.StackRemedy;
import io.stackwarden.support.RateLimit;
import io.stackwarden.support.Repeating;
import io.stackwarden.support.Scheduler;
import io.stackwarden.swarm.EngineException;
import io.stackwarden.swarm.StoppingTask;
import io.stackwarden.swarm.SwarmEngine;
import io.stackwarden.swarm.SwarmObject;
import io.stackwarden.swarm.TaskPlacement;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The remedies that only a node can carry out, through its agent: stuck tasks (kill the container's shim) and leftover
 * containers (remove them). A scan every interval reads the swarm and the agents, decides, and acts on what is due:
 * <ul>
 *   <li>no scan and no action at all while this instance may not act (a standby, quorum lost: the one write gate's
 *       answer, asked again right before each action): a standby never asks an agent for anything;</li>
 *   <li>only containers of stacks Stackwarden manages, or managed since it started (a removed stack's leftovers);
 *       never those of the stack Stackwarden itself runs in, nor the tasks of the agents' own services;</li>
 *   <li>a stuck task only after its stop grace period plus a margin since the scan first saw it, a leftover only after
 *       a grace period; at most {@code maxAttempts} attempts each, and at most {@code actionsPerMinute} in all.</li>
 * </ul>
 * Every action is logged and counted; each stack's pass shows what was done or is waiting ({@link #check}).
 */
public final class NodeRemedies implements StackRemedy {

    public static final String STUCK = "stuck-task";
    public static final String LEFTOVER = "leftover";

    private static final Logger LOG = Logger.getLogger(NodeRemedies.class.getName());
    private static final String RATE_KEY = "agent-actions";
    /** How long a stack's report shows an action after the task or container it was about is gone. */
    private static final Duration SHOWN_AFTER = Duration.ofHours(1);

    /** An action made, as its stack's report shows it. */
    private record Done(String remedy, String stack, String service, String state, Overdue.Entry entry, String note,
                        Instant at) {
    }

    /**
     * @param requester how Stackwarden names itself to the agents (their logs say who asked)
     */
    public record Settings(Duration interval, Duration stuckMargin, Duration leftoverGrace, int actionsPerMinute,
                           int maxAttempts, String requester) {
    }

    /** What the node remedies read and call. */
    public record Ports(SwarmEngine engine, TaskPlacement placement, AgentDirectory directory, AgentCalls calls) {
    }

    private final Ports ports;
    private final Settings settings;
    private final Scheduler scheduler;
    private final Supplier<Optional<String>> refused;
    private final Supplier<Set<String>> managedStacks;
    private final Predicate<String> ownStack;
    private final BiConsumer<String, String> counter;
    private final Consumer<String> changed;
    private final Overdue<String> stuck;
    private final Overdue<String> leftovers;
    private final RateLimit rate;
    /** Every stack seen managed since start: a stack removed since still has its leftovers removed. */
    private final Set<String> seenManaged = new HashSet<>();
    /** The latest action on each task or container, shown for a while after it is gone (by tracker key). */
    private final Map<String, Done> done = new HashMap<>();
    private volatile Map<String, RemedyReport> reports = Map.of();
    private Repeating scans;

    /**
     * @param refused       why this instance may not act now (a standby, quorum lost), empty when it may: the write gate
     * @param managedStacks the stacks Stackwarden manages now (the files' and those with its objects in the swarm)
     * @param ownStack      whether a stack is the one Stackwarden itself runs in (with its agents): never acted on
     * @param counter       counts each action: remedy and outcome
     * @param changed       told the stacks whose report changed, so their status is brought up to date
     */
    public NodeRemedies(Ports ports, Settings settings, Scheduler scheduler, Supplier<Optional<String>> refused,
                        Supplier<Set<String>> managedStacks, Predicate<String> ownStack, BiConsumer<String, String> counter,
                        Consumer<String> changed) {
        this.ports = ports;
        this.settings = settings;
        this.scheduler = scheduler;
        this.refused = refused;
        this.managedStacks = managedStacks;
        this.ownStack = ownStack;
        this.counter = counter;
        this.changed = changed;
        this.stuck = new Overdue<>(settings.maxAttempts());
        this.leftovers = new Overdue<>(settings.maxAttempts());
        this.rate = new RateLimit(settings.actionsPerMinute());
    }

    public synchronized void start() {
        scans = Repeating.start(scheduler, "node remedies: the scan", settings.interval(), settings.interval(), this::scan);
    }

    public synchronized void stop() {
        if (scans != null) {
            scans.stop();
        }
    }

    /** The node remedies' latest report of the stack, as of the last scan. */
    @Override
    public RemedyReport check(RemedyInput in) {
        return reports.getOrDefault(in.stack(), RemedyReport.NONE);
    }

    /** One scan: read, decide, act on what is due; returns the reports by stack. */
    synchronized Map<String, RemedyReport> scan() {
        Optional<String> why = refused.get();
        if (why.isPresent()) {
            LOG.fine(() -> "node remedies: no scan: " + why.get());
            return reports;
        }
        Set<String> current;
        Scan scan;
        try {
            current = managedStacks.get();
            seenManaged.addAll(current);
            seenManaged.removeIf(ownStack);
            scan = read(Set.copyOf(seenManaged));
        } catch (EngineException | IllegalStateException e) {
            LOG.fine(() -> "node remedies: nothing read: " + e.getMessage());
            return reports;
        }
        Instant now = scheduler.clock().instant();
        Reports next = new Reports(settings.maxAttempts());
        Set<String> found = new HashSet<>(stuckTasks(scan, now, next));
        found.addAll(leftovers(scan, now, next));
        done.entrySet().removeIf(entry -> !entry.getValue().at().plus(SHOWN_AFTER).isAfter(now));
        done.forEach((key, action) -> {
            if (!found.contains(key)) {
                next.add(action.remedy(), action.stack(), action.service(), action.state(), action.entry(), action.note());
            }
        });
        Map<String, RemedyReport> previous = reports;
        reports = next.build();
        Set<String> touched = new TreeSet<>(previous.keySet());
        touched.addAll(reports.keySet());
        touched.stream().filter(current::contains)
                .filter(stack -> !previous.getOrDefault(stack, RemedyReport.NONE).equals(reports.getOrDefault(stack, RemedyReport.NONE)))
                .forEach(changed);
        return reports;
    }

    /** What one scan read: in this order, so that a service created meanwhile is live by the time its containers are judged. */
    private record Scan(Set<String> managed, Map<String, URI> agents, List<StoppingTask> stopping,
                        Map<String, List<LeftoverCandidate>> candidates, Map<String, String> serviceNames,
                        Set<String> agentServices) {
    }

    private Scan read(Set<String> managed) {
        Map<String, URI> agents = ports.directory().agents();
        List<StoppingTask> stopping = ports.placement().stopping();
        Map<String, List<LeftoverCandidate>> candidates = new HashMap<>();
        CandidatesRequest request = new CandidatesRequest(List.copyOf(new TreeSet<>(managed)), settings.requester());
        agents.forEach((node, agent) -> {
            try {
                candidates.put(node, ports.calls().candidates(agent, request).containers());
            } catch (AgentCalls.Unavailable e) {
                LOG.warning(() -> "node remedies: the agent of node " + node + " did not list its containers: " + e.getMessage());
            }
        });
        List<SwarmObject> services = ports.engine().list(SwarmObject.Kind.SERVICE);
        Map<String, String> names = services.stream().collect(Collectors.toMap(SwarmObject::id, SwarmObject::name, (a, b) -> a));
        Set<String> agentServices = services.stream()
                .filter(service -> AgentDirectory.ROLE_AGENT.equals(service.labels().get(AgentDirectory.ROLE_LABEL)))
                .map(SwarmObject::id).collect(Collectors.toSet());
        return new Scan(managed, agents, stopping, candidates, names, agentServices);
    }

    /** Returns the IDs of the stuck tasks found. */
    private Set<String> stuckTasks(Scan scan, Instant now, Reports reports) {
        Map<String, StoppingTask> found = StuckTasks.of(scan.stopping(), scan.managed()).stream()
                .filter(task -> !scan.agentServices().contains(task.serviceId()))
                .collect(Collectors.toMap(StoppingTask::id, Function.identity()));
        Map<String, Overdue.Entry> entries = stuck.see(found.values().stream()
                .collect(Collectors.toMap(StoppingTask::id, this::stuckWait)), now);
        for (String id : new TreeSet<>(found.keySet())) {
            StoppingTask task = found.get(id);
            Overdue.Entry entry = entries.get(id);
            String stack = StuckTasks.stackOf(task);
            String service = scan.serviceNames().getOrDefault(task.serviceId(), "");
            String what = "task " + id + (service.isEmpty() ? " of a removed service" : " of service " + service) + " on node "
                    + task.nodeId() + " (desired " + task.desiredState() + ", its container still running)";
            switch (entry.state()) {
                case WAITING -> reports.add(STUCK, stack, service, "waiting", entry, what + ": its shim is killed from "
                        + entry.due() + " on, if it still runs" + (entry.last().isEmpty() ? "" : "; last attempt: " + entry.last()));
                case EXHAUSTED -> reports.add(STUCK, stack, service, "exhausted", entry, what + ": still stuck after "
                        + entry.attempts() + " attempts (last: " + entry.last() + "); left alone");
                case DUE -> act(new Due(STUCK, AgentAction.KILL_SHIM, task.nodeId(), new ActionRequest(stack,
                        task.containerId(), id, "desired " + task.desiredState() + " while its container still runs, beyond its"
                        + " stop grace period " + task.stopGrace().toSeconds() + "s and the margin "
                        + settings.stuckMargin().toSeconds() + "s", settings.requester()), what, service, stuck, id,
                        stuckWait(task)), scan.agents().get(task.nodeId()), now, entry, reports);
            }
        }
        return found.keySet();
    }

    /** Returns the IDs of the leftover containers found. */
    private Set<String> leftovers(Scan scan, Instant now, Reports reports) {
        Set<String> knownTasks = scan.stopping().stream().map(StoppingTask::id).collect(Collectors.toSet());
        Map<String, Leftovers.Leftover> found = Leftovers.of(scan.candidates(), scan.serviceNames().keySet(), knownTasks,
                scan.managed()).stream().collect(Collectors.toMap(l -> l.container().container(), Function.identity(), (a, b) -> a));
        Map<String, Overdue.Entry> entries = leftovers.see(found.keySet().stream()
                .collect(Collectors.toMap(Function.identity(), id -> settings.leftoverGrace())), now);
        for (String id : new TreeSet<>(found.keySet())) {
            Leftovers.Leftover leftover = found.get(id);
            LeftoverCandidate container = leftover.container();
            Overdue.Entry entry = entries.get(id);
            String what = "leftover container " + id + " (task " + container.task() + ", " + container.state() + ") on node "
                    + leftover.node() + ": its service is gone";
            switch (entry.state()) {
                case WAITING -> reports.add(LEFTOVER, container.stack(), "", "waiting", entry, what + "; removed from "
                        + entry.due() + " on" + (entry.last().isEmpty() ? "" : "; last attempt: " + entry.last()));
                case EXHAUSTED -> reports.add(LEFTOVER, container.stack(), "", "exhausted", entry, what + "; still there after "
                        + entry.attempts() + " attempts (last: " + entry.last() + "); left alone");
                case DUE -> act(new Due(LEFTOVER, AgentAction.REMOVE_LEFTOVER, leftover.node(), new ActionRequest(container.stack(),
                        id, container.task(), "its service " + container.service() + " is gone and it is still there after"
                        + " the grace period " + settings.leftoverGrace().toSeconds() + "s", settings.requester()), what, "",
                        leftovers, id, settings.leftoverGrace()), scan.agents().get(leftover.node()), now, entry, reports);
            }
        }
        return found.keySet();
    }

    /**
     * One action that is due.
     *
     * @param what    the task or container in words, for the log and the report
     * @param service the live service's name, empty when it is gone
     * @param tracker the remedy's tracker, and {@code key} its key there (the task, the container)
     * @param again   the wait before another attempt, if the fault is found again
     */
    private record Due(String remedy, AgentAction action, String node, ActionRequest request, String what, String service,
                       Overdue<String> tracker, String key, Duration again) {
    }

    /** Asks the node's agent, within the rate limit; logs, counts and reports the outcome. */
    private void act(Due due, URI agent, Instant now, Overdue.Entry entry, Reports reports) {
        String stack = due.request().stack();
        if (agent == null) {
            reports.add(due.remedy(), stack, due.service(), "waiting", entry, due.what() + "; no agent runs on node " + due.node());
            return;
        }
        Optional<String> why = refused.get();
        if (why.isPresent()) {
            reports.add(due.remedy(), stack, due.service(), "waiting", entry, due.what() + "; no action: " + why.get());
            return;
        }
        if (!rate.take(RATE_KEY, now).isZero()) {
            reports.add(due.remedy(), stack, due.service(), "waiting", entry, due.what() + "; held by the rate limit of "
                    + settings.actionsPerMinute() + " actions per minute");
            return;
        }
        ActionResult result;
        try {
            result = ports.calls().act(agent, due.action(), due.request());
        } catch (AgentCalls.Unavailable e) {
            result = new ActionResult(ActionResult.Outcome.FAILED, due.node(), due.request().container(), 0, e.getMessage());
        }
        String outcome = result.outcome() + (result.pid() > 0 ? " (pid " + result.pid() + ")" : "") + ": " + result.detail();
        due.tracker().attempted(due.key(), now, due.again(), outcome);
        counter.accept(due.remedy(), result.outcome().toString());
        Duration took = Duration.between(now, scheduler.clock().instant());
        LOG.info(() -> due.remedy() + ": asked the agent of node " + due.node() + " to " + due.action().label() + " " + due.what()
                + ", because " + due.request().reason() + ": " + outcome + " (answered in " + took.toMillis() + " ms)");
        Done made = new Done(due.remedy(), stack, due.service(), result.outcome().toString(), new Overdue.Entry(entry.state(),
                entry.due(), entry.attempts() + 1, outcome), due.what() + ": " + due.action().label() + " " + outcome + " (at "
                + now + ")", now);
        done.put(due.key(), made);
        reports.add(due.remedy(), stack, due.service(), made.state(), made.entry(), made.note());
    }

    private Duration stuckWait(StoppingTask task) {
        return task.stopGrace().plus(settings.stuckMargin());
    }
}
