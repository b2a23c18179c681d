package io.stackwarden.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Stackwarden's configuration. Every property can also be set from the environment
 * ({@code stackwarden.desired-dir} as {@code STACKWARDEN_DESIRED_DIR}, and so on).
 */
@ConfigMapping(prefix = "stackwarden")
public interface StackwardenConfig {

    /** Directory holding the desired state: one folder per stack. */
    @WithDefault("/var/lib/stackwarden/desired")
    Path desiredDir();

    /** Docker Engine to manage: {@code unix:///path} or {@code tcp://host:port}; defaults to {@code DOCKER_HOST}, then the local socket. */
    @WithDefault("${DOCKER_HOST:unix:///var/run/docker.sock}")
    String dockerHost();

    /** Settings of the connection to the Docker Engine. */
    Engine engine();

    /** Settings of the REST API. */
    Api api();

    /** Period of the full resync of every stack. */
    @WithDefault("3m")
    Duration resyncInterval();

    /** Connection to the Docker Engine. */
    interface Engine {
        /** Deadline of every single engine call (the unix-socket transport has none of its own). */
        @WithDefault("10s")
        Duration callTimeout();

        /** Period of the engine health probe while the engine answers. */
        @WithDefault("5s")
        Duration probeInterval();

        /** First retry delay after the engine stopped answering; doubled on every failure. */
        @WithDefault("1s")
        Duration retryInitial();

        /** Upper bound of the retry delay. */
        @WithDefault("15s")
        Duration retryMax();
    }

    /** REST API. */
    interface Api {
        /** File holding the bearer token that mutating endpoints require (a Docker secret in production). */
        @WithName("token-file")
        Optional<Path> tokenFile();
    }
}
