package io.stackwarden.swarm;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** Wraps the engine port and records every write (and registry lookup) that passes through it. */
public final class CountingSwarmEngine implements SwarmEngine {

    private final SwarmEngine delegate;
    private final List<String> writes = Collections.synchronizedList(new ArrayList<>());
    private final List<String> lookups = Collections.synchronizedList(new ArrayList<>());
    private final List<String> taskReads = Collections.synchronizedList(new ArrayList<>());
    private final List<String> reads = Collections.synchronizedList(new ArrayList<>());

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

    public void reset() {
        reads.clear();
        writes.clear();
        lookups.clear();
        taskReads.clear();
    }

    @Override
    public EngineInfo info() {
        return delegate.info();
    }

    @Override
    public List<SwarmObject> list(SwarmObject.Kind kind, String labelKey, String labelValue) {
        reads.add("list " + kind);
        return delegate.list(kind, labelKey, labelValue);
    }

    @Override
    public List<SwarmObject> list(SwarmObject.Kind kind) {
        reads.add("list " + kind);
        return delegate.list(kind);
    }

    @Override
    public Optional<SwarmObject> find(SwarmObject.Kind kind, String name) {
        reads.add("find " + kind + " " + name);
        return delegate.find(kind, name);
    }

    @Override
    public Optional<SwarmObject> inspect(SwarmObject.Kind kind, String id) {
        reads.add("inspect " + kind + " " + id);
        return delegate.inspect(kind, id);
    }

    @Override
    public String create(SwarmObject.Kind kind, ObjectNode body, Optional<String> registryAuth) {
        writes.add("create " + kind + " " + body.path("Name").asText());
        return delegate.create(kind, body, registryAuth);
    }

    @Override
    public void update(SwarmObject.Kind kind, String id, long version, ObjectNode spec, Optional<String> registryAuth) {
        writes.add("update " + kind + " " + spec.path("Name").asText());
        delegate.update(kind, id, version, spec, registryAuth);
    }

    @Override
    public void remove(SwarmObject.Kind kind, String id) {
        writes.add("remove " + kind + " " + id);
        delegate.remove(kind, id);
    }

    @Override
    public List<TaskInfo> tasks(String service) {
        taskReads.add(service);
        return delegate.tasks(service);
    }

    @Override
    public ImageDistribution distribution(String image, Optional<String> registryAuth) {
        lookups.add(image);
        return delegate.distribution(image, registryAuth);
    }
}
