package io.stackwarden.swarm.cache;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwarden.support.Scheduler;
import io.stackwarden.swarm.EngineEvent;
import io.stackwarden.swarm.EngineException;
import io.stackwarden.swarm.EventStream;
import io.stackwarden.swarm.ObjectKey;
import io.stackwarden.swarm.ForwardingSwarmEngine;
import io.stackwarden.swarm.SwarmEngine;
import io.stackwarden.swarm.SwarmObject;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * The engine port with a cache of services, networks, configs and secrets in front of it (an informer): filled
 * by one listing per kind when the event stream connects, kept current by its events (an event reads its one
 * object again), listed again every {@code relistInterval} for what events miss. Lists and finds are answered
 * from the cache while it is {@link Freshness#FRESH}, and read through otherwise. Writes go to the engine and
 * the written object is read back into the cache at once, so the next pass sees its own writes and the echo of
 * the write is not taken for a change by someone else. Inspects (the network settling asks the engine itself)
 * and tasks (the engine sends no task events) always read through.
 */
public final class CachedSwarmEngine extends ForwardingSwarmEngine {

    private static final Logger LOG = Logger.getLogger(CachedSwarmEngine.class.getName());
    /** How soon a listing is tried again after a write could not be read back, or a listing failed. */
    static final Duration RELIST_SOON = Duration.ofSeconds(2);
    /** How often a removed network is looked at while the manager still shows it, and for how long at most. */
    static final Duration NETWORK_LOOK = Duration.ofSeconds(1);
    static final Duration NETWORK_LINGER = Duration.ofMinutes(2);

    private final Scheduler scheduler;
    private final Duration relistInterval;
    private final LiveObjects objects = new LiveObjects();
    private final OwnWrites own;
    private final Object listing = new Object();
    private final AtomicBoolean relistSoon = new AtomicBoolean();
    private final AtomicLong relists = new AtomicLong();
    private volatile Freshness freshness = Freshness.EMPTY;
    /** The engine's API version as read since the stream last connected; empty until read (an engine restart drops the stream). */
    private volatile String apiVersion = "";
    /** Guarded by this: whether the event stream is connected, and a count of its connects and drops. */
    private boolean connected;
    private long connection;

    public CachedSwarmEngine(SwarmEngine engine, Scheduler scheduler, Duration relistInterval) {
        super(engine);
        this.scheduler = scheduler;
        this.relistInterval = relistInterval;
        this.own = new OwnWrites(scheduler.clock());
        scheduler.schedule(this::periodicRelist, relistInterval);
    }

    public Freshness freshness() {
        return freshness;
    }

    /** Full listings done (connects, periodic, after a write that could not be read back). */
    public long relists() {
        return relists.get();
    }

    /** Objects held now. */
    public int size() {
        return objects.size();
    }

    /** The listener for the event stream: keeps this cache current and tells {@code downstream} of others' changes. */
    public EventStream.Listener following(EventStream.Listener downstream) {
        return new CacheFeed(this, downstream);
    }

    @Override
    public List<SwarmObject> list(SwarmObject.Kind kind, String labelKey, String labelValue) {
        if (freshness != Freshness.FRESH) {
            return delegate.list(kind, labelKey, labelValue);
        }
        return objects.all(kind).stream().filter(o -> labelValue.equals(o.labels().get(labelKey))).toList();
    }

    @Override
    public List<SwarmObject> list(SwarmObject.Kind kind) {
        return freshness == Freshness.FRESH ? objects.all(kind) : delegate.list(kind);
    }

    @Override
    public Optional<SwarmObject> find(SwarmObject.Kind kind, String name) {
        if (freshness != Freshness.FRESH) {
            return delegate.find(kind, name);
        }
        return objects.all(kind).stream().filter(o -> o.name().equals(name)).findFirst();
    }

    /** Read once per connection of the event stream: every pass asks it, and only an engine restart changes it. */
    @Override
    public String apiVersion() {
        String known = apiVersion;
        if (known.isEmpty() || freshness != Freshness.FRESH) {
            known = delegate.apiVersion();
            apiVersion = known;
        }
        return known;
    }

    /** Always the engine's answer (see the class comment); what it shows is kept. */
    @Override
    public Optional<SwarmObject> inspect(SwarmObject.Kind kind, String id) {
        Optional<SwarmObject> found = delegate.inspect(kind, id);
        found.ifPresent(objects::put);
        return found;
    }

    @Override
    public String create(SwarmObject.Kind kind, ObjectNode body, Optional<String> registryAuth) {
        ObjectKey key = new ObjectKey(kind, body.path("Name").asText());
        own.expect(key);
        String id;
        try {
            id = delegate.create(kind, body, registryAuth);
        } catch (EngineException e) {
            own.cancel(key);
            throw e;
        }
        readBack(kind, id);
        return id;
    }

    @Override
    public void update(SwarmObject.Kind kind, String id, long version, ObjectNode spec, Optional<String> registryAuth) {
        ObjectKey key = new ObjectKey(kind, spec.path("Name").asText());
        own.expect(key);
        try {
            delegate.update(kind, id, version, spec, registryAuth);
        } catch (EngineException e) {
            own.cancel(key);
            if (e.isOutOfSequence()) {
                readBack(kind, id); // someone else wrote it: the caller reads it again to replan
            }
            throw e;
        }
        readBack(kind, id);
    }

    @Override
    public void remove(SwarmObject.Kind kind, String id) {
        Optional<ObjectKey> key = objects.get(id).map(SwarmObject::key);
        key.ifPresent(own::expect);
        try {
            delegate.remove(kind, id);
        } catch (EngineException e) {
            key.ifPresent(own::cancel);
            throw e;
        }
        removed(kind, id);
    }

    /** The event stream (re)connected: events were missed, so everything is listed anew. */
    void connected() {
        synchronized (this) {
            connected = true;
            connection++;
        }
        apiVersion = "";
        own.clear();
        relist();
    }

    void disconnected() {
        synchronized (this) {
            connected = false;
            connection++;
            if (freshness == Freshness.FRESH) {
                freshness = Freshness.STALE;
            }
        }
    }

    /**
     * One event of a service, network, config or secret: the object is read again (or dropped). Whether it was
     * someone else's change: not the echo of our own write, and not a read that shows the spec and rollout state
     * we hold. The manager itself bumps a new service's version when it allocates its endpoint: that is kept
     * (the next update needs the version) but is no change to reconcile, so it costs no pass.
     */
    boolean othersChange(SwarmObject.Kind kind, EngineEvent event) {
        if (own.echo(new ObjectKey(kind, event.name()))) {
            return false;
        }
        if (event.removal()) {
            removed(kind, event.id());
            return true;
        }
        Optional<SwarmObject> before = objects.get(event.id());
        Optional<SwarmObject> now = delegate.inspect(kind, event.id());
        now.ifPresent(objects::put);
        if (before.isEmpty() && now.isPresent() && own.wroteLately(now.get().key())) {
            return false; // ours, its read-back not yet done: the event raced the write call's return
        }
        return before.isEmpty() || now.isEmpty() || changed(before.get(), now.get());
    }

    /**
     * Networks cannot be updated through the API: a network's update event is the manager's own allocation
     * (subnet, gateway), never a change to reconcile. For the other kinds, the spec or the rollout state.
     */
    private static boolean changed(SwarmObject before, SwarmObject now) {
        return before.kind() != SwarmObject.Kind.NETWORK && (!before.spec().equals(now.spec())
                || !before.raw().path("UpdateStatus").equals(now.raw().path("UpdateStatus")));
    }

    /** The written object as the engine now has it; when that cannot be read, the cache is stale until relisted. */
    private void readBack(SwarmObject.Kind kind, String id) {
        try {
            Optional<SwarmObject> written = delegate.inspect(kind, id);
            if (written.isPresent()) {
                objects.put(written.get());
                return;
            }
        } catch (EngineException e) {
            LOG.fine(() -> kind + " " + id + " written but not read back: " + e.getMessage());
        }
        fallBehind();
    }

    /**
     * A removed network may still be shown by the manager for some seconds (its local copy lingers), and the
     * reconciler's network settling relies on seeing it as the engine does: it stays until the engine no longer
     * answers for it. Other kinds go at once.
     */
    private void removed(SwarmObject.Kind kind, String id) {
        if (kind == SwarmObject.Kind.NETWORK) {
            settleNetwork(id, scheduler.clock().instant().plus(NETWORK_LINGER));
        } else {
            objects.remove(id);
        }
    }

    private void settleNetwork(String id, Instant until) {
        boolean shown;
        try {
            shown = delegate.inspect(SwarmObject.Kind.NETWORK, id).isPresent();
        } catch (EngineException e) {
            shown = true; // not known: look again
        }
        if (shown && scheduler.clock().instant().isBefore(until)) {
            scheduler.schedule(() -> settleNetwork(id, until), NETWORK_LOOK);
        } else {
            objects.remove(id);
        }
    }

    private void fallBehind() {
        synchronized (this) {
            if (freshness == Freshness.FRESH) {
                freshness = Freshness.STALE;
            }
        }
        if (relistSoon.compareAndSet(false, true)) {
            scheduler.schedule(() -> {
                relistSoon.set(false);
                tryRelist();
            }, RELIST_SOON);
        }
    }

    private void periodicRelist() {
        try {
            tryRelist();
        } finally {
            scheduler.schedule(this::periodicRelist, relistInterval);
        }
    }

    private void tryRelist() {
        try {
            relist();
        } catch (EngineException e) {
            LOG.warning(() -> "swarm cache not listed again: " + e.getMessage() + "; reading through until it is");
            fallBehind();
        }
    }

    /** Lists every kind; fresh afterwards only if the event stream stayed connected all along. */
    private void relist() {
        long started;
        synchronized (this) {
            if (!connected) {
                return;
            }
            started = connection;
        }
        synchronized (listing) {
            long since = objects.stamp();
            for (SwarmObject.Kind kind : SwarmObject.Kind.values()) {
                objects.replace(kind, delegate.list(kind), since);
            }
            objects.forgetRemovedBefore(since);
            relists.incrementAndGet();
        }
        synchronized (this) {
            if (connected && connection == started) {
                freshness = Freshness.FRESH;
            }
        }
    }
}
