package io.stackwarden.loop;

import io.stackwarden.compose.engine.StackLabels;
import io.stackwarden.desired.DesiredStateException;
import io.stackwarden.reconcile.Ownership;
import io.stackwarden.swarm.EngineEvent;
import io.stackwarden.swarm.EventStream;
import io.stackwarden.swarm.SwarmEngine;
import io.stackwarden.swarm.SwarmObject;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.logging.Logger;

/**
 * Turns engine events into queue requests for the stacks they concern. Swarm events carry an object's
 * ID and name but no labels, so the stack comes from an index of object IDs: rebuilt from full
 * listings on every (re)connect, extended by looking up objects first seen in an event. Runs on the
 * event stream's thread only.
 */
public final class EventRouter implements EventStream.Listener {

    private static final Logger LOG = Logger.getLogger(EventRouter.class.getName());
    /** Node update attributes that can change where tasks run; other node updates (heartbeats, descriptions) cannot. */
    private static final Set<String> NODE_CHANGES = Set.of("state.new", "availability.new", "role.new");

    /** Every stack worth a pass: in the desired state or managed in the swarm. */
    @FunctionalInterface
    public interface KnownStacks {
        Set<String> get() throws DesiredStateException;
    }

    private final SwarmEngine engine;
    private final KnownStacks knownStacks;
    private final BiConsumer<String, Trigger> enqueue;
    private final Runnable nodesChanged;
    /** Object ID to its stack; "" for objects of no stack, so they are looked up once only. */
    private final Map<String, String> stackById = new HashMap<>();
    private Set<String> stacks = Set.of();
    private boolean started;

    public EventRouter(SwarmEngine engine, KnownStacks knownStacks, BiConsumer<String, Trigger> enqueue) {
        this(engine, knownStacks, enqueue, () -> { });
    }

    /**
     * @param nodesChanged run on a node event that can change placement, before the passes are queued: the node
     *                     list is read again then, so the passes see the node as it is now (e.g. returned)
     */
    public EventRouter(SwarmEngine engine, KnownStacks knownStacks, BiConsumer<String, Trigger> enqueue,
                       Runnable nodesChanged) {
        this.engine = engine;
        this.knownStacks = knownStacks;
        this.enqueue = enqueue;
        this.nodesChanged = nodesChanged;
    }

    /**
     * Events may have been missed: rebuild the index and give every stack a pass. The first connect is the
     * start-up pass: it runs on a filled cache, and nothing that happened before it can be missed.
     */
    @Override
    public void connected() {
        stackById.clear();
        for (SwarmObject.Kind kind : SwarmObject.Kind.values()) {
            for (SwarmObject object : engine.list(kind, Ownership.MANAGED_BY, Ownership.MANAGED_BY_VALUE)) {
                stackById.put(object.id(), object.labels().getOrDefault(StackLabels.NAMESPACE, ""));
            }
        }
        enqueueAll(started ? Trigger.RESYNC : Trigger.STARTUP);
        started = true;
    }

    @Override
    public void event(EngineEvent event) {
        if ("node".equals(event.type())) {
            if (!"update".equals(event.action()) || event.attributes().keySet().stream().anyMatch(NODE_CHANGES::contains)) {
                nodesChanged.run();
                enqueueAll(Trigger.ENGINE_EVENT); // a node came, went or changed availability: placement may change
            }
            return;
        }
        event.kind().flatMap(kind -> stackOf(kind, event)).ifPresent(stack -> enqueue.accept(stack, Trigger.ENGINE_EVENT));
        if (event.removal()) {
            stackById.remove(event.id());
        }
    }

    private Optional<String> stackOf(SwarmObject.Kind kind, EngineEvent event) {
        String known = stackById.get(event.id());
        if (known == null && !event.removal() && !event.name().isEmpty()) {
            known = engine.find(kind, event.name()).filter(o -> o.id().equals(event.id()))
                    .map(this::stackOf).orElse("");
            stackById.put(event.id(), known);
        }
        if (known == null || known.isEmpty()) {
            return byName(event.name());
        }
        return Optional.of(known);
    }

    /** Our own objects, and any object of a stack we know: stacks deployed by others are none of our business. */
    private String stackOf(SwarmObject object) {
        String stack = object.labels().getOrDefault(StackLabels.NAMESPACE, "");
        return Ownership.owned(object.labels()) || stacks.contains(stack) ? stack : "";
    }

    /**
     * Objects of a stack are named {@code <stack>_<name>}: the fallback for objects never seen with labels (our own
     * writes' events stop at the cache, so an object we created may first show here in its removal). A stack
     * added since the last look is found by looking at the known stacks again.
     */
    private Optional<String> byName(String name) {
        Optional<String> stack = stackNamed(name);
        if (stack.isEmpty() && !name.isEmpty()) {
            stacks = known();
            stack = stackNamed(name);
        }
        return stack;
    }

    private Optional<String> stackNamed(String name) {
        return stacks.stream().filter(stack -> name.startsWith(stack + "_"))
                .max((a, b) -> Integer.compare(a.length(), b.length()));
    }

    /** The stacks of our objects and of the desired state. */
    private Set<String> known() {
        Set<String> all = new TreeSet<>(stackById.values());
        all.remove("");
        try {
            all.addAll(knownStacks.get());
        } catch (DesiredStateException e) {
            LOG.warning(() -> "desired state unreadable, only the swarm's managed stacks get a pass: " + e.getMessage());
        }
        return Set.copyOf(all);
    }

    private void enqueueAll(Trigger trigger) {
        stacks = known();
        stacks.stream().sorted().forEach(stack -> enqueue.accept(stack, trigger));
    }
}
