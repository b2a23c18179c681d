package io.stackwarden.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.stackwarden.agent.AgentToken;
import io.stackwarden.config.StackwardenConfig;
import io.stackwarden.desired.DesiredStateException;
import io.stackwarden.loop.Acting;
import io.stackwarden.loop.OwnStack;
import io.stackwarden.loop.StackController;
import io.stackwarden.loop.Trigger;
import io.stackwarden.loop.WorkQueue;
import io.stackwarden.loop.WriteGate;
import io.stackwarden.reconcile.Ownership;
import io.stackwarden.remedy.node.AgentDirectory;
import io.stackwarden.remedy.node.HttpAgentCalls;
import io.stackwarden.remedy.node.NodeRemedies;
import io.stackwarden.support.TimerScheduler;
import io.stackwarden.swarm.EngineApi;
import io.stackwarden.swarm.HttpSwarmEngine;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.time.Clock;

/**
 * The remedies done through the node agents (stuck tasks, leftover containers), on a timer of their own: a shim kill
 * may take seconds and must not hold the reconcile timer. Off without {@code stackwarden.agent.token-file}. Only the
 * acting replica asks an agent for anything: every scan and every action asks the one write gate ({@link Acting}: not a
 * standby, quorum not lost), and the stack Stackwarden runs in (its agents' too) is never acted on.
 */
public class AgentWiring {

    private static final Logger LOG = Logger.getLogger(AgentWiring.class);

    /**
     * The stack controller and the queue are looked up when used: the controller's passes ask these remedies (as one of
     * {@link RemedyWiring}'s; typed so that theirs is the one {@code StackRemedy}).
     */
    @Produces
    @Singleton
    @Typed(NodeRemedies.class)
    NodeRemedies nodeRemedies(StackwardenConfig config, EngineApi api, Provider<Acting> acting, OwnStack own,
                              MeterRegistry metrics, Provider<StackController> controller, Provider<WorkQueue> queue) {
        StackwardenConfig.Agent agent = config.agent();
        HttpSwarmEngine engine = new HttpSwarmEngine(api);
        AgentToken token = new AgentToken(agent.tokenFile().orElse(Path.of("/run/secrets/stackwarden-agent-token")));
        NodeRemedies.Ports ports = new NodeRemedies.Ports(engine, engine,
                new AgentDirectory(engine, engine, agent.address(), agent.port(), Ownership::owned), new HttpAgentCalls(token, agent.callTimeout()));
        NodeRemedies.Settings settings = new NodeRemedies.Settings(agent.scanInterval(), agent.stuckMargin(), agent.leftoverGrace(),
                agent.actionsPerMinute(), agent.maxAttempts(), "stackwarden on " + System.getenv().getOrDefault("HOSTNAME", "?"));
        return new NodeRemedies(ports, settings, new TimerScheduler("node-remedies", Clock.systemUTC()),
                () -> acting.get().refusal().map(WriteGate.Refusal::message),
                () -> {
                    try {
                        return controller.get().knownStacks();
                    } catch (DesiredStateException e) {
                        throw new IllegalStateException("the desired state is unreadable: " + e.getMessage(), e);
                    }
                },
                own::is,
                (remedy, outcome) -> RemedyWiring.counter(metrics, remedy, outcome).increment(),
                stack -> queue.get().offer(stack, Trigger.REMEDY));
    }

    void stopNodeRemedies(@Disposes NodeRemedies remedies) {
        remedies.stop();
    }

    /** After the cluster monitor: the first scan should find the quorum known. */
    void start(@Observes @Priority(Interceptor.Priority.APPLICATION + 700) StartupEvent event, StackwardenConfig config,
               NodeRemedies remedies) {
        if (config.agent().tokenFile().isEmpty()) {
            LOG.info("node remedies (stuck tasks, leftover containers) are off: no stackwarden.agent.token-file");
            return;
        }
        LOG.infof("node remedies on: agents reached by %s address on port %d, a scan every %s", config.agent().address(),
                config.agent().port(), config.agent().scanInterval());
        remedies.start();
    }
}
