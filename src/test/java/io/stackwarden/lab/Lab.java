package io.stackwarden.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The swarm lab started by {@code make lab-up}, as integration tests see it: the manager's
 * DOCKER_HOST, the lab registry and the lab script with its fault helpers. {@code make test}
 * exports these; a test run without them fails loudly instead of touching another engine.
 */
public final class Lab {

    private Lab() {
    }

    public static String dockerHost() {
        return required("DOCKER_HOST");
    }

    /** The group ID of the manager's engine socket (the lab's nodes share it): what the images' uid 10001 runs with. */
    public static int socketGid() {
        try {
            return (Integer) java.nio.file.Files.getAttribute(Path.of(dockerHost().replaceFirst("^unix://", "")), "unix:gid");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the group of " + dockerHost(), e);
        }
    }

    public static String registry() {
        return required("LAB_REGISTRY");
    }

    public static Path script() {
        return Path.of(required("STACKWARDEN_LAB"));
    }

    /** Runs {@code lab.sh args...} and returns its output; fails on a non-zero exit. */
    public static String lab(String... args) {
        List<String> command = new ArrayList<>(List.of("bash", script().toString()));
        command.addAll(List.of(args));
        return run(command);
    }

    /** Runs {@code lab.sh args...} with some of the lab's variables changed ({@code LAB_MANAGERS=3}, say). */
    public static String labWith(java.util.Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of("bash", script().toString()));
        command.addAll(List.of(args));
        return run(command, env);
    }

    /** Runs a script of the project (under {@code scripts/}) with extra environment; fails on a non-zero exit. */
    public static String script(String path, java.util.Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of("bash", script().getParent().getParent().resolve(path).toString()));
        command.addAll(List.of(args));
        return run(command, env);
    }

    /** Runs the docker CLI against the lab's manager. */
    public static String docker(String... args) {
        return dockerWith(java.util.Map.of(), args);
    }

    /** The same with variables a compose file interpolates ({@code docker stack deploy}). */
    public static String dockerWith(java.util.Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of("docker", "-H", dockerHost()));
        command.addAll(List.of(args));
        return run(command, env);
    }

    /**
     * Waits until the manager reports every node Ready: a test that restarted an engine ends only once the nodes'
     * state changes (each a pass of every stack in a daemon) are over, so they do not reach the next test.
     */
    public static void awaitNodesReady() {
        io.stackwarden.support.Await.until("every lab node Ready", java.time.Duration.ofSeconds(120), () -> {
            try {
                // By hostname: an entry a node left behind when it joined again stays Down for good.
                java.util.Map<String, Boolean> ready = new java.util.HashMap<>();
                docker("node", "ls", "--format", "{{.Hostname}} {{.Status}}").lines().map(line -> line.split(" "))
                        .forEach(node -> ready.merge(node[0], "Ready".equals(node[1]), Boolean::logicalOr));
                return !ready.containsValue(false);
            } catch (IllegalStateException e) {
                return false; // the manager does not answer yet
            }
        });
    }

    /** The lab's name of a node ({@code w1}) for {@code lab.sh docker}, from its hostname ({@code swl-w1}). */
    public static String node(String nodeId) {
        String hostname = docker("node", "inspect", "--format", "{{.Description.Hostname}}", nodeId).trim();
        return hostname.substring(hostname.indexOf('-') + 1);
    }

    /** The swarm node ID of a lab node ({@code w1}). */
    public static String nodeId(String node) {
        return lab("docker", node, "info", "--format", "{{.Swarm.NodeID}}").trim();
    }

    /**
     * The Stackwarden image of the packaged application in {@code target/quarkus-app} (failsafe runs after the package
     * phase), built on the lab and pushed to its registry unless it is there already: its exact reference.
     */
    public static String stackwardenImage() {
        return stackwardenImage(java.util.Map.of());
    }

    /** The same on another lab: {@code env} holds its variables (the second lab of {@code ha-lab.sh}). */
    public static String stackwardenImage(java.util.Map<String, String> env) {
        List<String> lines = labWith(env, "stackwarden-image").lines().filter(line -> !line.isBlank()).toList();
        return lines.get(lines.size() - 1).trim();
    }

    static String run(List<String> command) {
        return run(command, java.util.Map.of());
    }

    static String run(List<String> command, java.util.Map<String, String> env) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().putAll(env);
            Process process = builder.start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out: " + command);
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(command + " exited " + process.exitValue() + ":\n" + text);
            }
            return text;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + command, e);
        }
    }

    private static String required(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set: run integration tests through `make test`, which brings the lab up");
        }
        return value;
    }
}
