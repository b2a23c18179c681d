package io.stackwarden.swarm.cache;

import io.stackwarden.swarm.EngineEvent;
import io.stackwarden.swarm.EventStream;


/**
 * The event stream's listener in front of another one: the cache hears every connect, drop and event first,
 * and the other listener hears connects (after the cache is filled), node events and the changes that
 * were not our own writes.
 */
final class CacheFeed implements EventStream.Listener {

    private final CachedSwarmEngine cache;
    private final EventStream.Listener downstream;

    CacheFeed(CachedSwarmEngine cache, EventStream.Listener downstream) {
        this.cache = cache;
        this.downstream = downstream;
    }

    @Override
    public void connected() {
        cache.connected();
        downstream.connected();
    }

    @Override
    public void event(EngineEvent event) {
        if (event.kind().map(kind -> cache.othersChange(kind, event)).orElse(true)) {
            downstream.event(event);
        }
    }

    @Override
    public void disconnected() {
        cache.disconnected();
        downstream.disconnected();
    }
}
