package io.stackwarden.config;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks the values that type conversion alone cannot judge. Plain Java so it is unit-tested
 * without Quarkus; the application refuses to start while this returns problems.
 */
public final class ConfigValidator {

    private ConfigValidator() {
    }

    public static List<ConfigProblem> validate(StackwardenConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        dockerHost(config.dockerHost()).ifPresent(reason ->
                problems.add(new ConfigProblem("stackwarden.docker-host", config.dockerHost(), reason)));

        Path desired = config.desiredDir();
        if (Files.exists(desired) && !Files.isDirectory(desired)) {
            problems.add(new ConfigProblem("stackwarden.desired-dir", desired.toString(), "exists but is not a directory"));
        }

        positive(problems, "stackwarden.resync-interval", config.resyncInterval());
        StackwardenConfig.Engine engine = config.engine();
        positive(problems, "stackwarden.engine.call-timeout", engine.callTimeout());
        positive(problems, "stackwarden.engine.probe-interval", engine.probeInterval());
        positive(problems, "stackwarden.engine.retry-initial", engine.retryInitial());
        positive(problems, "stackwarden.engine.retry-max", engine.retryMax());
        if (engine.retryMax().compareTo(engine.retryInitial()) < 0) {
            problems.add(new ConfigProblem("stackwarden.engine.retry-max", engine.retryMax().toString(),
                    "must not be shorter than stackwarden.engine.retry-initial (" + engine.retryInitial() + ")"));
        }

        StackwardenConfig.Reconcile reconcile = config.reconcile();
        if (reconcile.parallelism() < 1) {
            problems.add(new ConfigProblem("stackwarden.reconcile.parallelism", Integer.toString(reconcile.parallelism()), "must be at least 1"));
        }
        if (reconcile.queueCapacity() < 1) {
            problems.add(new ConfigProblem("stackwarden.reconcile.queue-capacity", Integer.toString(reconcile.queueCapacity()), "must be at least 1"));
        }
        if (reconcile.keepVersions() < 0) {
            problems.add(new ConfigProblem("stackwarden.reconcile.keep-versions", Integer.toString(reconcile.keepVersions()), "must be 0 or more"));
        }
        positive(problems, "stackwarden.reconcile.retry-initial", reconcile.retryInitial());
        positive(problems, "stackwarden.reconcile.converge-delay", reconcile.convergeDelay());
        positive(problems, "stackwarden.reconcile.image-cache-ttl", reconcile.imageCacheTtl());
        if (reconcile.retryMax().compareTo(reconcile.retryInitial()) < 0) {
            problems.add(new ConfigProblem("stackwarden.reconcile.retry-max", reconcile.retryMax().toString(),
                    "must not be shorter than stackwarden.reconcile.retry-initial (" + reconcile.retryInitial() + ")"));
        }

        config.api().tokenFile().ifPresent(file -> {
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                problems.add(new ConfigProblem("stackwarden.api.token-file", file.toString(), "is not a readable file"));
            }
        });
        config.webhooks().secretFile().ifPresent(file -> {
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                problems.add(new ConfigProblem("stackwarden.webhooks.secret-file", file.toString(), "is not a readable file"));
            }
        });
        if (config.webhooks().maxBody().asLongValue() < 1) {
            problems.add(new ConfigProblem("stackwarden.webhooks.max-body",
                    Long.toString(config.webhooks().maxBody().asLongValue()), "must be at least 1 byte"));
        }
        return problems;
    }

    /** Returns why the value is not a usable engine address, if it is not. */
    static Optional<String> dockerHost(String value) {
        URI uri;
        try {
            uri = URI.create(value.trim());
        } catch (IllegalArgumentException e) {
            return Optional.of("is not a URI (" + e.getMessage() + ")");
        }
        String scheme = uri.getScheme();
        if ("unix".equals(scheme)) {
            return uri.getPath() == null || uri.getPath().isEmpty()
                    ? Optional.of("unix:// needs a socket path, e.g. unix:///var/run/docker.sock")
                    : Optional.empty();
        }
        if ("tcp".equals(scheme)) {
            return uri.getHost() == null || uri.getPort() < 0
                    ? Optional.of("tcp:// needs a host and a port, e.g. tcp://manager:2376")
                    : Optional.empty();
        }
        return Optional.of("scheme must be unix:// or tcp://");
    }

    private static void positive(List<ConfigProblem> problems, String property, Duration value) {
        if (value.isZero() || value.isNegative()) {
            problems.add(new ConfigProblem(property, value.toString(), "must be a positive duration"));
        }
    }
}
