package io.stackwarden.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackwarden.swarm.EngineApi;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.time.Instant;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * {@code agent}: the node agent, the same jar and image as Stackwarden, run as a global service with its node's
 * Docker socket. Plain Java (the JDK's HTTP server, the engine through {@link EngineApi}), no Quarkus: it runs on
 * every node and should stay small. Configured from the environment:
 * <ul>
 *   <li>{@code STACKWARDEN_AGENT_TASK_ID}: its own task ID ({@code {{.Task.ID}}} in the service's environment), required</li>
 *   <li>{@code STACKWARDEN_AGENT_TOKEN_FILE}: the shared token, default {@code /run/secrets/stackwarden-agent-token}</li>
 *   <li>{@code STACKWARDEN_AGENT_PORT}: default {@value #DEFAULT_PORT}</li>
 *   <li>{@code STACKWARDEN_DOCKER_HOST}: its node's engine, default {@code unix:///var/run/docker.sock}</li>
 *   <li>{@code STACKWARDEN_AGENT_STOP_WAIT}: how long it waits for its engine to see a killed shim's container end, default 30s</li>
 * </ul>
 */
public final class Agent {

    public static final int DEFAULT_PORT = 8091;
    private static final Logger LOG = Logger.getLogger(Agent.class.getName());

    private Agent() {
    }

    public static int run(Map<String, String> env, PrintStream err) {
        logTo(err);
        // Bounds on how long a client may take to send a request or to read an answer.
        System.setProperty("sun.net.httpserver.maxReqTime", "10");
        System.setProperty("sun.net.httpserver.maxRspTime", "120");
        String task = env.getOrDefault("STACKWARDEN_AGENT_TASK_ID", "");
        if (task.isBlank()) {
            err.println("error: STACKWARDEN_AGENT_TASK_ID is not set: give the service STACKWARDEN_AGENT_TASK_ID={{.Task.ID}}");
            return 2;
        }
        AgentToken token = new AgentToken(Path.of(env.getOrDefault("STACKWARDEN_AGENT_TOKEN_FILE",
                "/run/secrets/stackwarden-agent-token")));
        int port;
        Duration stopWait;
        try {
            token.read();
            port = Integer.parseInt(env.getOrDefault("STACKWARDEN_AGENT_PORT", Integer.toString(DEFAULT_PORT)));
            stopWait = Duration.parse("PT" + env.getOrDefault("STACKWARDEN_AGENT_STOP_WAIT", "30s"));
        } catch (IOException | NumberFormatException | DateTimeParseException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        String host = env.getOrDefault("STACKWARDEN_DOCKER_HOST", "unix:///var/run/docker.sock");
        // Longer than a helper container takes to start, kill and exit.
        try (EngineApi api = new EngineApi(host, Duration.ofSeconds(60), new ObjectMapper())) {
            DockerNodeEngine engine = DockerNodeEngine.connect(api, task.strip());
            NodeActions actions = new NodeActions(engine, Polling::until, stopWait);
            try (AgentServer server = new AgentServer(new InetSocketAddress(port), token, actions)) {
                server.start();
                LOG.info(() -> "agent of node " + engine.nodeId() + " listening on port " + server.port());
                CountDownLatch stopped = new CountDownLatch(1);
                Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
                stopped.await();
            }
        } catch (IOException | RuntimeException e) {
            err.println("error: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /**
     * One line per record on {@code err}. Set here, not by the logging configuration: the jar's runner installs a log
     * manager that only Quarkus configures, and the agent starts no Quarkus.
     */
    private static void logTo(PrintStream err) {
        Logger root = Logger.getLogger("");
        for (Handler handler : root.getHandlers()) {
            root.removeHandler(handler);
        }
        root.setLevel(Level.INFO);
        root.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                err.println(Instant.ofEpochMilli(record.getMillis()) + " " + record.getLevel() + " [agent] " + record.getMessage());
            }

            @Override
            public void flush() {
                err.flush();
            }

            @Override
            public void close() {
                flush();
            }
        });
    }
}
