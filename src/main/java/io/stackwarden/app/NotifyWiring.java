package io.stackwarden.app;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.stackwarden.config.NotifySettings;
import io.stackwarden.config.StackwardenConfig;
import io.stackwarden.loop.Acting;
import io.stackwarden.desired.source.SourceSync;
import io.stackwarden.loop.StatusStore;
import io.stackwarden.notify.Channel;
import io.stackwarden.notify.HttpPoster;
import io.stackwarden.notify.Notifier;
import io.stackwarden.notify.Outbox;
import io.stackwarden.notify.SinkSettings;
import io.stackwarden.support.Backoff;
import io.stackwarden.support.TimerScheduler;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Notifications: the configured sinks, told of every status write and source refresh. Sending runs on the
 * outbox's own thread and its retries on a timer of their own, never on a reconcile worker or the loop's timer.
 */
public class NotifyWiring {

    private static final Logger LOG = Logger.getLogger(NotifyWiring.class);
    /** How often reminders of what stays broken are looked for (each sink has its own interval). */
    private static final Duration REMINDER_SWEEP = Duration.ofMinutes(1);

    @Produces
    @Singleton
    @NotifyTimer
    TimerScheduler notifyScheduler() {
        return new TimerScheduler("notify-timer", Clock.systemUTC());
    }

    void closeNotifyScheduler(@Disposes @NotifyTimer TimerScheduler scheduler) {
        scheduler.close();
    }

    @Produces
    @Singleton
    Notifier notifier(StackwardenConfig config, @NotifyTimer TimerScheduler scheduler, MeterRegistry metrics,
                      Provider<Acting> acting) {
        StackwardenConfig.Notify notify = config.notifications();
        HttpPoster http = new HttpPoster(notify.timeout());
        List<SinkSettings> sinks = NotifySettings.sinks(notify);
        // Lifecycle refuses these too, but this bean may be built first: say what is wrong, not how it broke.
        sinks.stream().flatMap(sink -> sink.problems().stream()).findFirst().ifPresent(problem -> {
            throw new IllegalStateException("invalid configuration: " + problem.property() + ": " + problem.reason());
        });
        List<Channel> channels = sinks.stream().map(sink -> sink.channel(http)).toList();
        Outbox outbox = new Outbox(notify.queueCapacity(), notify.maxAttempts(),
                new Backoff(notify.retryInitial(), notify.retryMax()), scheduler,
                (sink, outcome) -> Counter.builder("stackwarden.notifications").tag("sink", sink).tag("outcome", outcome.word())
                        .description("Notifications per sink: sent, retried (an attempt failed and another follows), "
                                + "failed (given up) or dropped (the queue was full)")
                        .register(metrics).increment());
        // Only the replica that acts notifies: a standby's statuses are the leader's, mirrored.
        return new Notifier(channels, outbox, scheduler, REMINDER_SWEEP, () -> acting.get().acting());
    }

    void closeNotifier(@Disposes Notifier notifier) {
        notifier.close();
    }

    /** Before {@link Lifecycle} starts the triggers and the source its first refresh: no first pass goes unheard. */
    void start(@Observes @Priority(Interceptor.Priority.APPLICATION + 400) StartupEvent event, StackwardenConfig config,
               Notifier notifier, StatusStore statuses, SourceSync source) {
        List<SinkSettings> sinks = NotifySettings.sinks(config.notifications());
        if (sinks.isEmpty()) {
            return;
        }
        LOG.infof("notifications to %d sink(s): %s", sinks.size(), String.join(", ",
                sinks.stream().map(sink -> sink.name() + " (" + sink.type() + ")").toList()));
        statuses.onUpdate(notifier::stackUpdated);
        source.onRefreshed(notifier::sourceRefreshed);
        notifier.start();
    }
}
