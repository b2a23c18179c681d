package io.stackwarden.swarm;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Wraps the engine port and records every write (and registry lookup) that passes through it; {@link #unplug()} makes
 * every call fail as a dead engine does, for this wrapper only (another instance's view of the same fake stays up).
 */
public final class CountingSwarmEngine implements SwarmEngine {

    private final SwarmEngine delegate;
    private final List<String> writes = Collections.synchronizedList(new ArrayList<>());
    private final List<String> lookups = Collections.synchronizedList(new ArrayList<>());
    private final List<String> taskReads = Collections.synchronizedList(new ArrayList<>());
    private final List<String> reads = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean unplugged;

    public CountingSwarmEngine(SwarmEngine delegate) {
        this.delegate = delegate;
    }

    /** Writes as {@code "create service web_app"}, {@code "update service <id>"}, {@code "remove network <id>"}. */
    public List<String> writes() {
        return List.copyOf(writes);
    }

    public List<String> registryLookups() {
        return List.copyOf(lookups);
    }

    /** The services whose tasks were read, one entry per read. */
    public List<String> taskReads() {
        return List.copyOf(taskReads);
    }

    /** Reads of swarm objects, as {@code "list service"}, {@code "find network web_default"}, {@code "inspect config <id>"}. */
    public List<String> reads() {
        return List.copyOf(reads);
    }

    /** Every call fails from now on as if the engine did not answer, until {@link #plugIn()}. */
    public void unplug() {
        unplugged = true;
    }

    public void plugIn() {
        unplugged = false;
    }

    private void reachable(String what) {
        if (unplugged) {
            throw EngineException.unreachable(what, new java.net.ConnectException("Connection refused"));
        }
    }

    public void reset() {
        reads.clear();
        writes.clear();
        lookups.clear();
        taskReads.clear();
    }

    @Override
    public EngineInfo info() {
        reachable("info");
        return delegate.info();
    }

    @Override
    public String apiVersion() {
        reachable("version");
        reads.add("version");
        return delegate.apiVersion();
    }

    @Override
    public List<SwarmObject> list(SwarmObject.Kind kind, String labelKey, String labelValue) {
        reachable("list");
        reads.add("list " + kind);
        return delegate.list(kind, labelKey, labelValue);
    }

    @Override
    public List<SwarmObject> list(SwarmObject.Kind kind) {
        reachable("list");
        reads.add("list " + kind);
        return delegate.list(kind);
    }

    @Override
    public Optional<SwarmObject> find(SwarmObject.Kind kind, String name) {
        reachable("find");
        reads.add("find " + kind + " " + name);
        return delegate.find(kind, name);
    }

    @Override
    public Optional<SwarmObject> inspect(SwarmObject.Kind kind, String id) {
        reachable("inspect");
        reads.add("inspect " + kind + " " + id);
        return delegate.inspect(kind, id);
    }

    @Override
    public String create(SwarmObject.Kind kind, ObjectNode body, Optional<String> registryAuth) {
        reachable("create");
        writes.add("create " + kind + " " + body.path("Name").asText());
        return delegate.create(kind, body, registryAuth);
    }

    @Override
    public void update(SwarmObject.Kind kind, String id, long version, ObjectNode spec, Optional<String> registryAuth) {
        reachable("update");
        writes.add("update " + kind + " " + spec.path("Name").asText());
        delegate.update(kind, id, version, spec, registryAuth);
    }

    @Override
    public void remove(SwarmObject.Kind kind, String id) {
        reachable("remove");
        writes.add("remove " + kind + " " + id);
        delegate.remove(kind, id);
    }

    @Override
    public List<TaskInfo> tasks(String service) {
        reachable("tasks");
        taskReads.add(service);
        return delegate.tasks(service);
    }

    @Override
    public ImageDistribution distribution(String image, Optional<String> registryAuth) {
        reachable("distribution");
        lookups.add(image);
        return delegate.distribution(image, registryAuth);
    }
}
