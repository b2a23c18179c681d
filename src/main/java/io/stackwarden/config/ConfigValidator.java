package io.stackwarden.config;

import io.stackwarden.desired.source.GitSettings;
import io.stackwarden.registry.RegistryConfigException;
import io.stackwarden.registry.RegistryCredentials;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.URIish;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
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
        positive(problems, "stackwarden.engine.cache.relist-interval", engine.cache().relistInterval());
        retryRange(problems, "stackwarden.engine", engine.retryInitial(), engine.retryMax());

        StackwardenConfig.Reconcile reconcile = config.reconcile();
        atLeastOne(problems, "stackwarden.reconcile.parallelism", reconcile.parallelism());
        atLeastOne(problems, "stackwarden.reconcile.queue-capacity", reconcile.queueCapacity());
        if (reconcile.keepVersions() < 0) {
            problems.add(new ConfigProblem("stackwarden.reconcile.keep-versions", Integer.toString(reconcile.keepVersions()), "must be 0 or more"));
        }
        positive(problems, "stackwarden.reconcile.retry-initial", reconcile.retryInitial());
        positive(problems, "stackwarden.reconcile.converge-delay", reconcile.convergeDelay());
        positive(problems, "stackwarden.reconcile.image-cache-ttl", reconcile.imageCacheTtl());
        retryRange(problems, "stackwarden.reconcile", reconcile.retryInitial(), reconcile.retryMax());

        leader(problems, config.leader());
        config.self().stack().filter(stack -> !stack.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]*")).ifPresent(stack ->
                problems.add(new ConfigProblem("stackwarden.self.stack", stack, "is not a stack name")));

        readable(problems, "stackwarden.api.token-file", config.api().tokenFile());
        readable(problems, "stackwarden.webhooks.secret-file", config.webhooks().secretFile());
        if (config.webhooks().maxBody().asLongValue() < 1) {
            problems.add(new ConfigProblem("stackwarden.webhooks.max-body",
                    Long.toString(config.webhooks().maxBody().asLongValue()), "must be at least 1 byte"));
        }
        positive(problems, "stackwarden.webhooks.body-timeout", config.webhooks().bodyTimeout());
        positive(problems, "stackwarden.api.wait-timeout", config.api().waitTimeout());
        if (config.http().maxRequestsPerClient() < 0) {
            problems.add(new ConfigProblem("stackwarden.http.max-requests-per-client",
                    Integer.toString(config.http().maxRequestsPerClient()), "must be 0 (no limit) or more"));
        }
        source(problems, config.source());
        atLeastOne(problems, "stackwarden.images.lookups-per-minute", config.images().lookupsPerMinute());
        notify(problems, config.notifications());
        agent(problems, config.agent());
        StackwardenConfig.Remedies remedies = config.remedies();
        positive(problems, "stackwarden.remedies.rebalance.min-interval", remedies.rebalance().minInterval());
        positive(problems, "stackwarden.remedies.rebalance.max-wait", remedies.rebalance().maxWait());
        positive(problems, "stackwarden.remedies.global-complete.backoff", remedies.globalComplete().backoff());
        if (remedies.globalComplete().maxRetries() < 0) {
            problems.add(new ConfigProblem("stackwarden.remedies.global-complete.max-retries",
                    Integer.toString(remedies.globalComplete().maxRetries()), "must be 0 (report only) or more"));
        }
        config.registry().authFile().ifPresent(file -> {
            try {
                RegistryCredentials.check(file);
            } catch (RegistryConfigException e) {
                problems.add(new ConfigProblem(RegistryCredentials.PROPERTY, file.toString(), e.getMessage()));
            }
        });
        return problems;
    }

    private static void agent(List<ConfigProblem> problems, StackwardenConfig.Agent agent) {
        readable(problems, "stackwarden.agent.token-file", agent.tokenFile());
        if (agent.port() < 1 || agent.port() > 65535) {
            problems.add(new ConfigProblem("stackwarden.agent.port", Integer.toString(agent.port()), "must be a TCP port (1-65535)"));
        }
        positive(problems, "stackwarden.agent.scan-interval", agent.scanInterval());
        positive(problems, "stackwarden.agent.stuck-margin", agent.stuckMargin());
        positive(problems, "stackwarden.agent.leftover-grace", agent.leftoverGrace());
        positive(problems, "stackwarden.agent.call-timeout", agent.callTimeout());
        atLeastOne(problems, "stackwarden.agent.actions-per-minute", agent.actionsPerMinute());
        atLeastOne(problems, "stackwarden.agent.max-attempts", agent.maxAttempts());
    }

    private static void notify(List<ConfigProblem> problems, StackwardenConfig.Notify notify) {
        atLeastOne(problems, "stackwarden.notify.queue-capacity", notify.queueCapacity());
        atLeastOne(problems, "stackwarden.notify.max-attempts", notify.maxAttempts());
        positive(problems, "stackwarden.notify.retry-initial", notify.retryInitial());
        positive(problems, "stackwarden.notify.timeout", notify.timeout());
        retryRange(problems, "stackwarden.notify", notify.retryInitial(), notify.retryMax());
        NotifySettings.sinks(notify).forEach(sink -> sink.problems().forEach(problem ->
                problems.add(new ConfigProblem(problem.property(), problem.value(), problem.reason()))));
    }

    private static void source(List<ConfigProblem> problems, StackwardenConfig.Source source) {
        source.path().ifPresent(path -> sourcePath(path).ifPresent(reason ->
                problems.add(new ConfigProblem("stackwarden.source.path", path, reason))));
        positive(problems, "stackwarden.source.poll-interval", source.pollInterval());
        positive(problems, "stackwarden.source.scan-interval", source.scanInterval());
        positive(problems, "stackwarden.source.retry-initial", source.retryInitial());
        retryRange(problems, "stackwarden.source", source.retryInitial(), source.retryMax());
        if (source.maxStackRemovals() < 0) {
            problems.add(new ConfigProblem("stackwarden.source.max-stack-removals",
                    Integer.toString(source.maxStackRemovals()), "must not be negative"));
        }
        StackwardenConfig.Git git = source.git();
        if (!Repository.isValidRefName(Constants.R_HEADS + git.branch())) {
            problems.add(new ConfigProblem("stackwarden.source.git.branch", git.branch(), "is not a valid branch name"));
        }
        positive(problems, "stackwarden.source.git.timeout", git.timeout());
        readable(problems, "stackwarden.source.git.token-file", git.tokenFile());
        readable(problems, "stackwarden.source.git.ssh-key-file", git.sshKeyFile());
        readable(problems, "stackwarden.source.git.known-hosts-file", git.knownHostsFile());
        if (git.sshKeyFile().isPresent() && git.knownHostsFile().isEmpty()) {
            problems.add(new ConfigProblem("stackwarden.source.git.known-hosts-file", "",
                    "is required with stackwarden.source.git.ssh-key-file: host keys are never accepted unseen"));
        }
        git.url().ifPresent(url -> gitUrl(url, git).ifPresent(reason ->
                problems.add(new ConfigProblem("stackwarden.source.git.url", GitSettings.redact(url), reason))));
    }

    private static void leader(List<ConfigProblem> problems, StackwardenConfig.Leader leader) {
        if (!leader.name().matches("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,57}")) {
            problems.add(new ConfigProblem("stackwarden.leader.name", leader.name(),
                    "must be 1-58 letters, digits, '_', '.' or '-', starting with a letter or digit (it names swarm configs)"));
        }
        leader.identity().filter(String::isBlank).ifPresent(identity ->
                problems.add(new ConfigProblem("stackwarden.leader.identity", identity, "must not be blank")));
        leader.advertiseUrl().filter(url -> !url.matches("https?://[^/\\s@?#]+/?")).ifPresent(url ->
                problems.add(new ConfigProblem("stackwarden.leader.advertise-url", url, "must be http(s)://host:port")));
        positive(problems, "stackwarden.leader.retry-period", leader.retryPeriod());
        if (leader.renewDeadline().compareTo(leader.retryPeriod()) <= 0) {
            problems.add(new ConfigProblem("stackwarden.leader.renew-deadline", leader.renewDeadline().toString(),
                    "must be longer than stackwarden.leader.retry-period (" + leader.retryPeriod() + ")"));
        }
        if (leader.leaseDuration().compareTo(leader.renewDeadline()) <= 0) {
            problems.add(new ConfigProblem("stackwarden.leader.lease-duration", leader.leaseDuration().toString(),
                    "must be longer than stackwarden.leader.renew-deadline (" + leader.renewDeadline()
                            + "): a leader must stop acting before anyone else may start"));
        }
    }

    /** Returns why the value is not a usable Git remote, if it is not. */
    static Optional<String> gitUrl(String url, StackwardenConfig.Git git) {
        URIish uri;
        try {
            uri = new URIish(url);
        } catch (URISyntaxException e) {
            return Optional.of("is not a Git URL (" + e.getMessage() + ")");
        }
        if (uri.getPass() != null) {
            return Optional.of("must not hold a password or token; put it in stackwarden.source.git.token-file");
        }
        if (GitSettings.isSsh(url) && git.sshKeyFile().isEmpty()) {
            return Optional.of("an SSH remote needs stackwarden.source.git.ssh-key-file and stackwarden.source.git.known-hosts-file");
        }
        return Optional.empty();
    }

    /** Returns why the value is not a folder inside the desired-dir, if it is not. */
    static Optional<String> sourcePath(String path) {
        Path relative;
        try {
            relative = Path.of(path);
        } catch (InvalidPathException e) {
            return Optional.of("is not a path (" + e.getMessage() + ")");
        }
        if (relative.isAbsolute() || path.isBlank() || !relative.normalize().equals(relative)
                || relative.startsWith("..") || path.startsWith("./") || path.endsWith("/")) {
            return Optional.of("must be a plain relative folder such as stacks or deploy/swarm (no .., no leading or trailing /)");
        }
        return Optional.empty();
    }

    private static void readable(List<ConfigProblem> problems, String property, Optional<Path> file) {
        file.ifPresent(path -> {
            if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
                problems.add(new ConfigProblem(property, path.toString(), "is not a readable file"));
            }
        });
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

    private static void atLeastOne(List<ConfigProblem> problems, String property, int value) {
        if (value < 1) {
            problems.add(new ConfigProblem(property, Integer.toString(value), "must be at least 1"));
        }
    }

    /** A backoff's cap ({@code <prefix>.retry-max}) must not be below its first delay. */
    private static void retryRange(List<ConfigProblem> problems, String prefix, Duration initial, Duration max) {
        if (max.compareTo(initial) < 0) {
            problems.add(new ConfigProblem(prefix + ".retry-max", max.toString(),
                    "must not be shorter than " + prefix + ".retry-initial (" + initial + ")"));
        }
    }

    private static void positive(List<ConfigProblem> problems, String property, Duration value) {
        if (value.isZero() || value.isNegative()) {
            problems.add(new ConfigProblem(property, value.toString(), "must be a positive duration"));
        }
    }
}
