package io.stackwarden.swarm;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.ConnectException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A small in-memory fake of our own engine port for unit tests of the core. It keeps objects and
 * versions like the engine does, nothing more; swarm behaviour is tested against the lab.
 */
public final class FakeSwarm implements SwarmEngine {

    /** What {@link #info()} answers; null makes every call fail like a dead engine. */
    public EngineInfo info = new EngineInfo("20.10.24", "1.41", "n1", "swl-m1", "active", true);
    public final Map<String, String> digests = new LinkedHashMap<>();
    /** Images whose lookup needs exactly this {@code X-Registry-Auth} header. */
    public final Map<String, String> privateImages = new HashMap<>();
    /** The {@code X-Registry-Auth} header last sent with a service create or update, by service name. */
    public final Map<String, String> authSent = new HashMap<>();
    /** The time objects are stamped with ({@code UpdatedAt}). */
    public Supplier<Instant> clock = Instant::now;
    /** Tasks a test gives a service (by name), instead of one running task per replica. */
    public final Map<String, List<TaskInfo>> tasks = new HashMap<>();
    /**
     * How many network reads (list, find, inspect) still show a removed network, as the manager's engine does
     * while its local copy of a removed overlay network lingers.
     */
    public int staleNetworkReads;
    private final Map<String, SwarmObject> objects = new LinkedHashMap<>();
    private final Map<String, SwarmObject> staleNetworks = new LinkedHashMap<>();
    private final Map<String, Integer> staleReadsLeft = new HashMap<>();
    private int nextId = 1;
    private long nextVersion = 10;

    private void alive(String what) {
        if (info == null) {
            throw EngineException.unreachable(what, new ConnectException("Connection refused"));
        }
    }

    @Override
    public EngineInfo info() {
        alive("GET /info");
        return info;
    }

    @Override
    public List<SwarmObject> list(SwarmObject.Kind kind, String labelKey, String labelValue) {
        alive("list");
        return visible(kind).filter(o -> labelValue.equals(o.labels().get(labelKey))).toList();
    }

    @Override
    public List<SwarmObject> list(SwarmObject.Kind kind) {
        alive("list");
        return visible(kind).toList();
    }

    @Override
    public Optional<SwarmObject> find(SwarmObject.Kind kind, String name) {
        alive("find");
        return visible(kind).filter(o -> o.name().equals(name)).findFirst();
    }

    @Override
    public Optional<SwarmObject> inspect(SwarmObject.Kind kind, String id) {
        alive("inspect");
        return visible(kind).filter(o -> o.id().equals(id)).findFirst();
    }

    /** The objects of one kind a read sees: the real ones, then removed networks that still linger. */
    private Stream<SwarmObject> visible(SwarmObject.Kind kind) {
        List<SwarmObject> lingering = new ArrayList<>();
        if (kind == SwarmObject.Kind.NETWORK) {
            for (String id : List.copyOf(staleNetworks.keySet())) {
                lingering.add(staleNetworks.get(id));
                if (staleReadsLeft.merge(id, -1, Integer::sum) <= 0) {
                    staleNetworks.remove(id);
                    staleReadsLeft.remove(id);
                }
            }
        }
        return Stream.concat(objects.values().stream().filter(o -> o.kind() == kind), lingering.stream());
    }

    /** Whether a removed network is still shown by reads. */
    public boolean lingers(String id) {
        return staleNetworks.containsKey(id);
    }

    @Override
    public String create(SwarmObject.Kind kind, ObjectNode body, Optional<String> registryAuth) {
        alive("create");
        registryAuth.ifPresent(auth -> authSent.put(body.path("Name").asText(), auth));
        String name = body.path("Name").asText();
        if (objects.values().stream().anyMatch(o -> o.kind() == kind && o.name().equals(name))) {
            throw new EngineException(409, kind + " " + name + " already exists", null);
        }
        if (kind == SwarmObject.Kind.SERVICE) {
            checkNetworks(body);
        }
        String id = "id" + nextId++;
        put(kind, id, body);
        if (afterNextCreate != null) {
            Consumer<String> hook = afterNextCreate;
            afterNextCreate = null;
            hook.accept(id);
        }
        return id;
    }

    /** Runs once, after the next create is stored and before the call returns: events that outrun the answer. */
    public Consumer<String> afterNextCreate;

    /** Runs once, just before the next update is checked: someone else writing in between. */
    public Runnable beforeNextUpdate;

    @Override
    public void update(SwarmObject.Kind kind, String id, long version, ObjectNode spec, Optional<String> registryAuth) {
        alive("update");
        registryAuth.ifPresent(auth -> authSent.put(spec.path("Name").asText(), auth));
        if (beforeNextUpdate != null) {
            Runnable hook = beforeNextUpdate;
            beforeNextUpdate = null;
            hook.run();
        }
        SwarmObject current = objects.get(id);
        if (current == null) {
            throw new EngineException(404, kind + " " + id + " not found", null);
        }
        if (current.version() != version) {
            throw new EngineException(500, "rpc error: code = Unknown desc = update out of sequence", null);
        }
        if (kind == SwarmObject.Kind.SERVICE) {
            checkNetworks(spec);
        }
        put(kind, id, spec);
    }

    /** Runs once, just before the next removal is checked: someone else writing in between. */
    public Runnable beforeNextRemove;

    /**
     * Like the engine, refuses to remove a secret or config that the current spec of a service refers to, and
     * answers "not found" for an object it does not have (the manager's 500 for a network it still lists).
     */
    @Override
    public void remove(SwarmObject.Kind kind, String id) {
        alive("remove");
        if (!objects.containsKey(id)) {
            throw new EngineException(kind == SwarmObject.Kind.NETWORK ? 500 : 404,
                    kind.name().toLowerCase() + " " + id + " not found", null);
        }
        if (beforeNextRemove != null) {
            Runnable hook = beforeNextRemove;
            beforeNextRemove = null;
            hook.run();
        }
        String field = kind == SwarmObject.Kind.SECRET ? "Secrets" : kind == SwarmObject.Kind.CONFIG ? "Configs" : null;
        if (field != null) {
            List<String> users = objects.values().stream().filter(o -> o.kind() == SwarmObject.Kind.SERVICE)
                    .filter(o -> o.spec().at("/TaskTemplate/ContainerSpec/" + field).findValuesAsText(
                            kind == SwarmObject.Kind.SECRET ? "SecretID" : "ConfigID").contains(id))
                    .map(SwarmObject::name).toList();
            if (!users.isEmpty()) {
                throw new EngineException(400, "rpc error: code = InvalidArgument desc = " + kind + " '"
                        + objects.get(id).name() + "' is in use by the following service: " + String.join(", ", users), null);
            }
        }
        SwarmObject removed = objects.remove(id);
        if (removed != null && kind == SwarmObject.Kind.NETWORK && staleNetworkReads > 0) {
            staleNetworks.put(id, removed);
            staleReadsLeft.put(id, staleNetworkReads);
        }
    }

    /** Like the engine, a service may only name networks its store has (a lingering one does not count). */
    private void checkNetworks(ObjectNode spec) {
        for (var attachment : spec.at("/TaskTemplate/Networks")) {
            String target = attachment.path("Target").asText();
            if (objects.values().stream().noneMatch(o -> o.kind() == SwarmObject.Kind.NETWORK
                    && (o.id().equals(target) || o.name().equals(target)))) {
                throw new EngineException(404, "network " + target + " not found", null);
            }
        }
    }

    /** Every replica of a replicated service runs; a global service runs one task. */
    @Override
    public List<TaskInfo> tasks(String service) {
        alive("tasks");
        SwarmObject object = objects.values().stream()
                .filter(o -> o.kind() == SwarmObject.Kind.SERVICE && (o.id().equals(service) || o.name().equals(service)))
                .findFirst().orElseThrow(() -> new EngineException(404, "service " + service + " not found", null));
        if (tasks.containsKey(object.name())) {
            return List.copyOf(tasks.get(object.name()));
        }
        int replicas = object.spec().at("/Mode/Global").isMissingNode() ? object.spec().at("/Mode/Replicated/Replicas").asInt(1) : 1;
        List<TaskInfo> running = new ArrayList<>();
        for (int slot = 1; slot <= replicas; slot++) {
            running.add(new TaskInfo(object.id() + "." + slot, object.id(), "n1", Integer.toString(slot), "running", "running", "", "c" + slot));
        }
        return running;
    }

    @Override
    public ImageDistribution distribution(String image, Optional<String> registryAuth) {
        alive("distribution");
        String required = privateImages.get(image);
        if (required != null && !registryAuth.equals(Optional.of(required))) {
            // What engine 20.10 answers for a registry that wants credentials.
            throw new EngineException(500, "GET /distribution/" + image + "/json: 500 Head \"http://"
                    + image.substring(0, image.indexOf('/')) + "/v2/...\": no basic auth credentials", null);
        }
        String digest = digests.get(image);
        if (digest == null) {
            throw new EngineException(500, "no such image in registry: " + image, null);
        }
        return new ImageDistribution(digest, JsonNodeFactory.instance.arrayNode());
    }

    /** Changes an object behind the reconciler's back, as {@code docker service update} would. */
    public void tamper(SwarmObject.Kind kind, String name, java.util.function.Consumer<ObjectNode> change) {
        SwarmObject current = find(kind, name).orElseThrow();
        ObjectNode spec = current.spec().deepCopy();
        change.accept(spec);
        put(kind, current.id(), spec);
    }

    /**
     * What the engine stores for a service spec: network names resolved to IDs, and one replica when a
     * replicated service (or one without a mode) names no count.
     */
    private ObjectNode stored(ObjectNode given) {
        ObjectNode spec = given.deepCopy();
        for (var attachment : spec.at("/TaskTemplate/Networks")) {
            String target = attachment.path("Target").asText();
            find(SwarmObject.Kind.NETWORK, target).ifPresent(n -> ((ObjectNode) attachment).put("Target", n.id()));
        }
        if (!spec.path("Mode").isObject() || spec.path("Mode").isEmpty()) {
            spec.putObject("Mode").putObject("Replicated").put("Replicas", 1);
        } else if (spec.at("/Mode/Replicated").isObject() && !spec.at("/Mode/Replicated").has("Replicas")) {
            ((ObjectNode) spec.at("/Mode/Replicated")).put("Replicas", 1);
        }
        return spec;
    }

    /** Sets the service's {@code UpdateStatus.State}, as a rollout under way ({@code updating}, {@code rollback_started}) or ended shows it. */
    public void rolloutState(String service, String state) {
        ((ObjectNode) find(SwarmObject.Kind.SERVICE, service).orElseThrow().raw()).putObject("UpdateStatus").put("State", state);
    }

    /** Sets the service's {@code UpdateStatus} with when it started, as Swarm reports each update or rollback. */
    public void rolloutState(String service, String state, Instant startedAt) {
        ((ObjectNode) find(SwarmObject.Kind.SERVICE, service).orElseThrow().raw()).putObject("UpdateStatus")
                .put("State", state).put("StartedAt", startedAt.toString());
    }

    /** What the manager does to a new service when it allocates its endpoint: a new version, the same spec. */
    public void allocate(String service) {
        SwarmObject current = find(SwarmObject.Kind.SERVICE, service).orElseThrow();
        put(SwarmObject.Kind.SERVICE, current.id(), current.spec());
        ((ObjectNode) find(SwarmObject.Kind.SERVICE, service).orElseThrow().raw()).putObject("Endpoint").put("Spec", "{}");
    }

    public List<SwarmObject> all() {
        return new ArrayList<>(objects.values());
    }

    /** Stores the object as the engine reports it; {@code raw} is shaped like the engine's inspect answer, with the previous spec of an update. */
    private void put(SwarmObject.Kind kind, String id, ObjectNode given) {
        ObjectNode spec = kind == SwarmObject.Kind.SERVICE ? stored(given) : given.deepCopy();
        if (kind == SwarmObject.Kind.SECRET) {
            spec.remove("Data"); // the engine never returns a secret's data
        }
        Map<String, String> labels = new LinkedHashMap<>();
        spec.path("Labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        long version = nextVersion++;
        ObjectNode raw = spec;
        if (kind != SwarmObject.Kind.NETWORK) { // as the engine's inspect answer
            raw = JsonNodeFactory.instance.objectNode().put("ID", id);
            raw.putObject("Version").put("Index", version);
            raw.put("UpdatedAt", clock.get().toString());
            raw.set("Spec", spec.deepCopy());
            SwarmObject previous = objects.get(id);
            if (previous != null && kind == SwarmObject.Kind.SERVICE) {
                raw.set("PreviousSpec", previous.spec().deepCopy());
            }
        }
        objects.put(id, new SwarmObject(kind, id, spec.path("Name").asText(), version, labels, spec.deepCopy(), raw));
    }
}
