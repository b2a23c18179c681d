package io.stackwarden.swarm;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** An engine port in front of another that hands every call on as it is; decorators override what they change. */
public abstract class ForwardingSwarmEngine implements SwarmEngine {

    protected final SwarmEngine delegate;

    protected ForwardingSwarmEngine(SwarmEngine delegate) {
        this.delegate = delegate;
    }

    @Override
    public EngineInfo info() {
        return delegate.info();
    }

    @Override
    public String apiVersion() {
        return delegate.apiVersion();
    }

    @Override
    public List<SwarmObject> list(SwarmObject.Kind kind, String labelKey, String labelValue) {
        return delegate.list(kind, labelKey, labelValue);
    }

    @Override
    public List<SwarmObject> list(SwarmObject.Kind kind) {
        return delegate.list(kind);
    }

    @Override
    public Optional<SwarmObject> find(SwarmObject.Kind kind, String name) {
        return delegate.find(kind, name);
    }

    @Override
    public Optional<SwarmObject> inspect(SwarmObject.Kind kind, String id) {
        return delegate.inspect(kind, id);
    }

    @Override
    public String create(SwarmObject.Kind kind, ObjectNode body, Optional<String> registryAuth) {
        return delegate.create(kind, body, registryAuth);
    }

    @Override
    public void update(SwarmObject.Kind kind, String id, long version, ObjectNode spec, Optional<String> registryAuth) {
        delegate.update(kind, id, version, spec, registryAuth);
    }

    @Override
    public void remove(SwarmObject.Kind kind, String id) {
        delegate.remove(kind, id);
    }

    @Override
    public List<TaskInfo> tasks(String service) {
        return delegate.tasks(service);
    }

    @Override
    public List<TaskInfo> tasks(Collection<String> services) {
        return delegate.tasks(services);
    }

    @Override
    public ImageDistribution distribution(String image, Optional<String> registryAuth) {
        return delegate.distribution(image, registryAuth);
    }
}
