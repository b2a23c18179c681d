package io.stackwarden.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackwarden.cluster.ClusterMonitor;
import io.stackwarden.compose.StackCompiler;
import io.stackwarden.config.StackwardenConfig;
import io.stackwarden.desired.DesiredStateReader;
import io.stackwarden.desired.source.SourceSync;
import io.stackwarden.loop.Acting;
import io.stackwarden.loop.EventRouter;
import io.stackwarden.loop.OwnStack;
import io.stackwarden.loop.StackController;
import io.stackwarden.loop.StatusStore;
import io.stackwarden.loop.Trigger;
import io.stackwarden.imageupdate.TagWatch;
import io.stackwarden.loop.SuspendOverrides;
import io.stackwarden.loop.WorkQueue;
import io.stackwarden.reconcile.ImageResolver;
import io.stackwarden.reconcile.PullCredentials;
import io.stackwarden.registry.RegistryConfigException;
import io.stackwarden.registry.RegistryCredentials;
import io.stackwarden.reconcile.StackPlanner;
import io.stackwarden.reconcile.StackReconciler;
import io.stackwarden.remedy.StackRemedy;
import io.stackwarden.support.Backoff;
import io.stackwarden.support.Scheduler;
import io.stackwarden.support.TimerScheduler;
import io.stackwarden.swarm.EngineApi;
import io.stackwarden.swarm.EventStream;
import io.stackwarden.swarm.SwarmEngine;
import io.stackwarden.swarm.cache.CachedSwarmEngine;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/** CDI producers that wire the plain-Java reconcile loop from the configuration. */
public class LoopWiring {


    @Produces
    @Singleton
    StatusStore statusStore() {
        return new StatusStore();
    }

    @Produces
    @Singleton
    SuspendOverrides suspendOverrides() {
        return new SuspendOverrides();
    }

    @Produces
    @Singleton
    RegistryCredentials registryCredentials(StackwardenConfig config) {
        Optional<Path> file = config.registry().authFile();
        if (file.isEmpty()) {
            return RegistryCredentials.none();
        }
        try {
            return RegistryCredentials.from(file.get());
        } catch (RegistryConfigException e) {
            // Lifecycle validates the file first; this is a file that broke in between.
            throw new IllegalStateException(RegistryCredentials.PROPERTY + ": " + e.getMessage());
        }
    }

    @Produces
    @Singleton
    ImageResolver imageResolver(SwarmEngine engine, StackwardenConfig config, RegistryCredentials credentials) {
        return new ImageResolver(engine, credentials, config.reconcile().imageCacheTtl(), Clock.systemUTC());
    }

    @Produces
    @Singleton
    StackReconciler stackReconciler(@GatedEngine SwarmEngine engine, StackwardenConfig config, RegistryCredentials credentials,
                                    ImageResolver images) {
        return new StackReconciler(engine, new StackPlanner(images), config.reconcile().keepVersions(),
                new PullCredentials(credentials, config.registry().sendAuth()));
    }

    /** The watch of image tags runs on a thread of its own: a slow registry must not hold the reconcile timer. */
    @Produces
    @Singleton
    @ImageWatchTimer
    TimerScheduler imageWatchScheduler() {
        return new TimerScheduler("image-watch", Clock.systemUTC());
    }

    void closeImageWatchScheduler(@Disposes @ImageWatchTimer TimerScheduler scheduler) {
        scheduler.close();
    }

    /** The queue is looked up when a tag moved: it needs the controller, which needs the watch. */
    @Produces
    @Singleton
    TagWatch tagWatch(SwarmEngine engine, ImageResolver images, @ImageWatchTimer TimerScheduler scheduler,
                      StackwardenConfig config, Provider<WorkQueue> queue) {
        return new TagWatch(engine, images, scheduler, config.images().lookupsPerMinute(),
                stack -> queue.get().offer(stack, Trigger.IMAGE_UPDATE));
    }

    @Produces
    @Singleton
    StackController stackController(StackwardenConfig config, SourceSync source, StackReconciler reconciler,
                                    SwarmEngine engine, StatusStore statuses, SuspendOverrides overrides,
                                    StackRemedy remedies, TagWatch images, Acting acting, OwnStack own) {
        return new StackController(source, new DesiredStateReader(), new StackCompiler(), reconciler,
                engine, statuses, overrides, System.getenv(), Clock.systemUTC(), config.source().maxStackRemovals(), remedies,
                images, acting, own);
    }

    /** The timer of the reconcile loop: retries, look-again-soon passes and jittered resyncs. */
    @Produces
    @Singleton
    TimerScheduler scheduler() {
        return new TimerScheduler("reconcile-timer", Clock.systemUTC());
    }

    void closeScheduler(@Disposes TimerScheduler scheduler) {
        scheduler.close();
    }

    @Produces
    @Singleton
    WorkQueue workQueue(StackController controller, StackwardenConfig config, Scheduler scheduler) {
        StackwardenConfig.Reconcile settings = config.reconcile();
        return new WorkQueue(controller, settings.parallelism(), settings.queueCapacity(),
                new Backoff(settings.retryInitial(), settings.retryMax()), settings.convergeDelay(), scheduler);
    }

    void closeWorkQueue(@Disposes WorkQueue queue) {
        queue.close();
    }

    /** Engine events as queue requests; started by {@link Triggers} once the engine is ready. */
    @Produces
    @Singleton
    EventStream eventStream(EngineApi api, SwarmEngine engine, StackController controller, WorkQueue queue,
                            StackwardenConfig config, ObjectMapper json, ClusterMonitor cluster) {
        // A node event reads the nodes again before the passes it queues: they see a returned node at once.
        EventRouter router = new EventRouter(engine, controller::knownStacks, queue::offer, cluster::refresh);
        // With the cache on, it hears the events first: the router then sees a filled cache and only others' changes.
        EventStream.Listener listener = engine instanceof CachedSwarmEngine cache ? cache.following(router) : router;
        StackwardenConfig.Engine settings = config.engine();
        return new EventStream(EventStream.of(api), listener, new Backoff(settings.retryInitial(), settings.retryMax()),
                json, Clock.systemUTC());
    }

    void closeEventStream(@Disposes EventStream events) {
        events.close();
    }
}
