package io.stackwarden.app;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.stackwarden.config.StackwardenConfig;
import io.stackwarden.desired.SourceRefresh;
import io.stackwarden.desired.source.ChangedStacks;
import io.stackwarden.desired.source.FolderOrigin;
import io.stackwarden.desired.source.GitOrigin;
import io.stackwarden.desired.source.GitSettings;
import io.stackwarden.desired.source.Origin;
import io.stackwarden.desired.source.SourceSync;
import io.stackwarden.desired.source.WorkingCopy;
import io.stackwarden.loop.Trigger;
import io.stackwarden.loop.WorkQueue;
import io.stackwarden.support.Backoff;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * The desired-state source: a Git working copy when {@code stackwarden.source.git.url} is set or the
 * desired-dir already is a working copy with an {@code origin}, a watched plain folder otherwise.
 */
public class SourceWiring {

    private static final Logger LOG = Logger.getLogger(SourceWiring.class);

    @Produces
    @Singleton
    @Typed(SourceSync.class)
    SourceSync sourceSync(StackwardenConfig config) {
        StackwardenConfig.Source source = config.source();
        Origin origin = origin(config);
        return new SourceSync(origin, interval(source, origin),
                new Backoff(source.retryInitial(), source.retryMax()), Clock.systemUTC());
    }

    /**
     * How often the source looks for changes by itself: a folder edit should apply within seconds, and
     * scanning a local folder is cheap; a fetch costs the Git host a request, and pushes come by webhook.
     */
    static Duration interval(StackwardenConfig.Source source, Origin origin) {
        return origin instanceof FolderOrigin ? source.scanInterval() : source.pollInterval();
    }

    void closeSourceSync(@Disposes SourceSync sync) {
        sync.close();
    }

    /** The port the push webhook asks for a refresh through. */
    @Produces
    @ApplicationScoped
    SourceRefresh sourceRefresh(SourceSync sync) {
        return sync;
    }

    static Origin origin(StackwardenConfig config) {
        Path dir = config.desiredDir();
        String path = config.source().path().orElse("");
        StackwardenConfig.Git git = config.source().git();
        if (git.url().isPresent() || WorkingCopy.hasOrigin(dir)) {
            GitSettings settings = new GitSettings(git.url(), git.branch(), git.tokenFile(), git.username(),
                    git.sshKeyFile(), git.knownHostsFile(), git.timeout());
            return new GitOrigin(new WorkingCopy(dir, settings), settings, path);
        }
        return new FolderOrigin(path.isEmpty() ? dir : dir.resolve(path));
    }

    /** After {@link Lifecycle} validated the configuration: metrics, then the first refresh and the polling. */
    void start(@Observes @Priority(Interceptor.Priority.APPLICATION + 600) StartupEvent event, SourceSync sync,
               Triggers triggers, WorkQueue queue, MeterRegistry metrics) {
        Gauge.builder("stackwarden.source.stale", sync, s -> s.status().stale() ? 1 : 0)
                .description("1 while the desired-state source is out of date or unusable (failed fetch, broken working copy)")
                .register(metrics);
        FunctionCounter.builder("stackwarden.source.fetches", sync, SourceSync::successes).tag("result", "success")
                .description("Refreshes of the desired-state source (Git fetches or folder polls)")
                .register(metrics);
        FunctionCounter.builder("stackwarden.source.fetches", sync, SourceSync::failures).tag("result", "failure")
                .description("Refreshes of the desired-state source (Git fetches or folder polls)")
                .register(metrics);
        LOG.infof("desired-state source: %s%s", sync.status().kind(),
                sync.status().url() == null ? " " + sync.root() : " " + sync.status().url() + " branch " + sync.status().branch());
        sync.start(changes -> enqueue(changes, triggers, queue));
    }

    /** A pass for every stack whose files changed; for all known ones (files and swarm) when all may have. */
    private static void enqueue(ChangedStacks changes, Triggers triggers, WorkQueue queue) {
        if (changes.all()) {
            triggers.enqueueAll(Trigger.SOURCE_CHANGE, Duration.ZERO);
        } else {
            changes.stacks().forEach(stack -> queue.offer(stack, Trigger.SOURCE_CHANGE));
        }
    }
}
