package io.stackwarden.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.stackwarden.cluster.ClusterMonitor;
import io.stackwarden.config.StackwardenConfig;
import io.stackwarden.leader.LeaderElection;
import io.stackwarden.leader.Leadership;
import io.stackwarden.loop.Acting;
import io.stackwarden.loop.GatedSwarmEngine;
import io.stackwarden.loop.OwnStack;
import io.stackwarden.loop.SavedState;
import io.stackwarden.loop.StatusStore;
import io.stackwarden.loop.SuspendOverrides;
import io.stackwarden.loop.Trigger;
import io.stackwarden.loop.WriteGate;
import io.stackwarden.remedy.StackRemedy;
import io.stackwarden.support.TimerScheduler;
import io.stackwarden.swarm.EngineApi;
import io.stackwarden.swarm.HttpSwarmEngine;
import io.stackwarden.swarm.LabelRecord;
import io.stackwarden.swarm.OwnContainer;
import io.stackwarden.swarm.SwarmEngine;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.ConfigProvider;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * One actor among replicas: the lease, the state kept in the swarm, the stack Stackwarden runs in, and the one write
 * gate ({@link Acting}) that passes, remedies and the saved state go through.
 */
public class LeaderWiring {

    /** A change of status is saved this long after it, so a burst of passes makes one write. */
    private static final Duration SAVE_DELAY = Duration.ofSeconds(1);
    /** The configs Stackwarden keeps its lease and its saved state in: {@code stackwarden.leader.name} and these. */
    private static final String LEASE = ".lease";
    private static final String STATE = ".state";

    /** The engine as the lease reads and writes it: uncached, with calls bounded well inside the renew deadline. */
    static final class LeaseEngine implements AutoCloseable {
        final EngineApi api;
        final SwarmEngine engine;

        LeaseEngine(EngineApi api) {
            this.api = api;
            this.engine = new HttpSwarmEngine(api);
        }

        @Override
        public void close() {
            api.close();
        }
    }

    @Produces
    @Singleton
    LeaseEngine leaseEngine(StackwardenConfig config, ObjectMapper json) {
        Duration half = config.leader().renewDeadline().dividedBy(2);
        Duration timeout = half.compareTo(config.engine().callTimeout()) < 0 ? half : config.engine().callTimeout();
        return new LeaseEngine(new EngineApi(config.dockerHost(), timeout, json));
    }

    void closeLeaseEngine(@Disposes LeaseEngine engine) {
        engine.close();
    }

    @Produces
    @Singleton
    @LeaderTimer
    TimerScheduler leaderScheduler() {
        return new TimerScheduler("leader-election", Clock.systemUTC());
    }

    void closeLeaderScheduler(@Disposes @LeaderTimer TimerScheduler scheduler) {
        scheduler.close();
    }

    @Produces
    @Singleton
    OwnStack ownStack(StackwardenConfig config) {
        return config.self().stack().map(stack -> OwnStack.of(Optional.of(stack))).orElseGet(OwnStack::unknown);
    }

    /** The election, or a lone instance that always leads; it tells {@link Acting} when it starts and stops leading. */
    @Produces
    @Singleton
    Leadership leadership(StackwardenConfig config, LeaseEngine lease, @LeaderTimer TimerScheduler scheduler,
                          Provider<Acting> acting) {
        StackwardenConfig.Leader settings = config.leader();
        String identity = settings.identity().orElseGet(() -> hostname() + "/" + ProcessHandle.current().pid());
        String address = settings.advertiseUrl().orElseGet(LeaderWiring::ownAddress);
        if (!settings.enabled()) {
            return Leadership.alone(identity, address, Clock.systemUTC().instant());
        }
        return new LeaderElection(new LabelRecord(lease.engine, settings.name() + LEASE),
                new LeaderElection.Settings(identity, address, settings.leaseDuration(), settings.renewDeadline(),
                        settings.retryPeriod()), scheduler, new LeaderElection.Listener() {
                    @Override
                    public void startedLeading() {
                        acting.get().startedLeading();
                    }

                    @Override
                    public void stoppedLeading() {
                        acting.get().stoppedLeading();
                    }
                });
    }

    @Produces
    @Singleton
    Acting acting(StackwardenConfig config, Leadership leadership, LeaseEngine lease, OwnStack own, EngineApi api,
                  ClusterMonitor cluster, @LeaderTimer TimerScheduler scheduler, StatusStore statuses,
                  SuspendOverrides overrides, StackRemedy remedies, Provider<Triggers> triggers) {
        StackwardenConfig.Leader settings = config.leader();
        Optional<SavedState> saved = settings.enabled()
                ? Optional.of(new SavedState(new LabelRecord(lease.engine, settings.name() + STATE), statuses, overrides,
                        remedies.retries(), scheduler, SAVE_DELAY, leadership::leading))
                : Optional.empty();
        return new Acting(leadership, saved, own, () -> OwnContainer.stack(api, OwnContainer.candidates(mountinfo(), hostname())),
                WriteGate.held(cluster::writesRefused), scheduler, settings.retryPeriod(),
                // Alone, the engine's first readiness gives every stack its pass (Triggers); a new leader needs its own.
                settings.enabled() ? () -> triggers.get().enqueueAll(Trigger.STARTUP, Duration.ZERO) : () -> { });
    }

    /** Every write of passes and remedies asks the gate first and never touches Stackwarden's own stack. */
    @Produces
    @Singleton
    @GatedEngine
    SwarmEngine gatedEngine(StackwardenConfig config, SwarmEngine engine, Provider<Acting> acting, OwnStack own,
                            MeterRegistry metrics) {
        Counter writes = Counter.builder("stackwarden.swarm.writes")
                .description("Writes to swarm objects (creates, updates, removals) made by this instance's passes and remedies")
                .register(metrics);
        String records = config.leader().name();
        return new GatedSwarmEngine(engine, () -> acting.get().refusal(), own, Set.of(records + LEASE, records + STATE),
                writes::increment);
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return System.getenv().getOrDefault("HOSTNAME", "localhost");
        }
    }

    /** http://<the address of this host's name>:<http port>: in a swarm task, its address on its first network. */
    private static String ownAddress() {
        int port = ConfigProvider.getConfig().getOptionalValue("quarkus.http.port", Integer.class).orElse(8080);
        try {
            return "http://" + InetAddress.getLocalHost().getHostAddress() + ":" + port;
        } catch (UnknownHostException e) {
            return "";
        }
    }

    private static String mountinfo() {
        try {
            return Files.readString(Path.of("/proc/self/mountinfo"));
        } catch (IOException e) {
            return "";
        }
    }
}
