package io.stackwarden.swarm;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The port through which the core talks to the swarm. The reconcile core depends on this
 * interface only, so unit tests can drive it with a small fake and integration tests with the lab.
 * Every method throws {@link EngineException} when the engine refuses or does not answer.
 */
public interface SwarmEngine {

    /** The engine's identity and swarm role. */
    EngineInfo info();

    /** The Engine API version the engine speaks, such as {@code 1.41}. */
    default String apiVersion() {
        return info().apiVersion();
    }

    /** Live objects of one kind that carry the label {@code key=value}. */
    List<SwarmObject> list(SwarmObject.Kind kind, String labelKey, String labelValue);

    /** Every live object of one kind, whoever created it. */
    List<SwarmObject> list(SwarmObject.Kind kind);

    /** The live object of that kind with exactly that name, if any. */
    Optional<SwarmObject> find(SwarmObject.Kind kind, String name);

    /**
     * The live object with exactly that ID, if the engine knows it. For networks this is what the engine
     * answers for the ID, which may still be a removed network that the manager's own engine keeps for a while.
     */
    Optional<SwarmObject> inspect(SwarmObject.Kind kind, String id);

    /** Creates the object and returns its ID. {@code body} is the Engine API create body (a spec; for networks the create request). */
    default String create(SwarmObject.Kind kind, ObjectNode body) {
        return create(kind, body, Optional.empty());
    }

    /**
     * As {@link #create(SwarmObject.Kind, ObjectNode)}, for a service with the {@code X-Registry-Auth} header
     * the nodes pull its image with (the CLI's {@code --with-registry-auth}); empty: none.
     */
    String create(SwarmObject.Kind kind, ObjectNode body, Optional<String> registryAuth);

    /** Replaces the spec of a versioned object (service, config, secret). */
    default void update(SwarmObject.Kind kind, String id, long version, ObjectNode spec) {
        update(kind, id, version, spec, Optional.empty());
    }

    /**
     * As {@link #update(SwarmObject.Kind, String, long, ObjectNode)}, with the {@code X-Registry-Auth} header for a
     * service; empty: none, and the engine keeps the credentials it had for the service.
     */
    void update(SwarmObject.Kind kind, String id, long version, ObjectNode spec, Optional<String> registryAuth);

    /** Removes the object; an object that is already gone is not an error. */
    void remove(SwarmObject.Kind kind, String id);

    /** The tasks of one service (by ID or name), in every state the engine still keeps. */
    List<TaskInfo> tasks(String service);

    /** The tasks of several services (by ID) in one read where the engine allows it; here one read per service. */
    default List<TaskInfo> tasks(Collection<String> services) {
        List<TaskInfo> tasks = new ArrayList<>();
        services.forEach(service -> tasks.addAll(tasks(service)));
        return tasks;
    }

    /**
     * The registry's manifest digest and platforms for {@code image}, through the engine's distribution endpoint,
     * with the {@code X-Registry-Auth} header for that registry (empty: anonymous).
     */
    ImageDistribution distribution(String image, Optional<String> registryAuth);
}
