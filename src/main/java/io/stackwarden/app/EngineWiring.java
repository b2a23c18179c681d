package io.stackwarden.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackwarden.config.StackwardenConfig;
import io.stackwarden.support.Backoff;
import io.stackwarden.support.Scheduler;
import io.stackwarden.swarm.EngineApi;
import io.stackwarden.swarm.EngineMonitor;
import io.stackwarden.swarm.HttpSwarmEngine;
import io.stackwarden.swarm.SwarmEngine;
import io.stackwarden.swarm.cache.CachedSwarmEngine;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;

/** CDI producers that wire the plain-Java engine classes from the configuration. */
public class EngineWiring {

    @Produces
    @Singleton
    EngineApi engineApi(StackwardenConfig config, ObjectMapper json) {
        return new EngineApi(config.dockerHost(), config.engine().callTimeout(), json);
    }

    void closeEngineApi(@Disposes EngineApi api) {
        api.close();
    }

    @Produces
    @Singleton
    SwarmEngine swarmEngine(EngineApi api, StackwardenConfig config, Scheduler scheduler) {
        StackwardenConfig.Cache cache = config.engine().cache();
        HttpSwarmEngine engine = new HttpSwarmEngine(api);
        return cache.enabled() ? new CachedSwarmEngine(engine, scheduler, cache.relistInterval()) : engine;
    }

    @Produces
    @Singleton
    EngineMonitor engineMonitor(SwarmEngine engine, StackwardenConfig config) {
        StackwardenConfig.Engine settings = config.engine();
        return new EngineMonitor(engine, settings.probeInterval(),
                new Backoff(settings.retryInitial(), settings.retryMax()), Clock.systemUTC());
    }

    void closeEngineMonitor(@Disposes EngineMonitor monitor) {
        monitor.close();
    }
}
