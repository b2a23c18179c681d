package io.stackwarden.config;

import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.stackwarden.desired.source.GitSettings;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.common.MapBackedConfigSource;
import io.stackwarden.remedy.node.AgentDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class ConfigValidatorTest {

    @TempDir
    Path dir;

    /** Builds the real mapping (defaults included) from the given properties, without Quarkus. */
    public static StackwardenConfig configOf(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .withMapping(StackwardenConfig.class)
                // Quarkus' own converter, so "10s" parses here as it does in the application.
                .withConverter(Duration.class, 200, new DurationConverter())
                .withConverter(MemorySize.class, 200, new MemorySizeConverter())
                .withSources(new MapBackedConfigSource("test", new HashMap<>(properties), 500) {
                })
                .build();
        return config.getConfigMapping(StackwardenConfig.class);
    }

    private List<ConfigProblem> problems(Map<String, String> properties) {
        Map<String, String> all = new HashMap<>(Map.of("stackwarden.desired-dir", dir.toString()));
        all.putAll(properties);
        return ConfigValidator.validate(configOf(all));
    }

    @Test
    void defaultsAreValid() {
        assertEquals(List.of(), problems(Map.of("stackwarden.docker-host", "unix:///var/run/docker.sock")));
    }

    @Test
    void theNodeAgentSettingsAreCheckedAndTheAddressModeIsNamedInLowerCase() {
        assertEquals(AgentDirectory.AddressMode.NODE, configOf(Map.of("stackwarden.agent.address", "node")).agent().address());
        assertEquals(AgentDirectory.AddressMode.OVERLAY, configOf(Map.of()).agent().address());
        List<ConfigProblem> problems = problems(Map.of("stackwarden.agent.port", "0", "stackwarden.agent.actions-per-minute", "0",
                "stackwarden.agent.max-attempts", "0", "stackwarden.agent.stuck-margin", "0s",
                "stackwarden.agent.token-file", dir.resolve("missing").toString()));
        assertEquals(Set.of("stackwarden.agent.port", "stackwarden.agent.actions-per-minute", "stackwarden.agent.max-attempts",
                "stackwarden.agent.stuck-margin", "stackwarden.agent.token-file"),
                problems.stream().map(ConfigProblem::property).collect(java.util.stream.Collectors.toSet()));
    }

    @Test
    void dockerHostDefaultsToTheDockerHostVariableThenTheLocalSocket() {
        assertEquals("tcp://manager:2375", configOf(Map.of("DOCKER_HOST", "tcp://manager:2375")).dockerHost());
        assertEquals("unix:///var/run/docker.sock", configOf(Map.of()).dockerHost());
    }

    @Test
    void tcpAndUnixHostsAreAccepted() {
        assertEquals(List.of(), problems(Map.of("stackwarden.docker-host", "tcp://10.0.0.1:2376")));
        assertEquals(List.of(), problems(Map.of("stackwarden.docker-host", "unix:///run/lab/docker.sock")));
    }

    @Test
    void wrongDockerHostIsNamedByItsProperty() {
        for (String bad : List.of("ftp://host:21", "tcp://no-port", "unix://", "not a uri")) {
            List<ConfigProblem> problems = problems(Map.of("stackwarden.docker-host", bad));
            assertEquals(1, problems.size(), bad);
            assertEquals("stackwarden.docker-host", problems.get(0).property());
            assertEquals(bad, problems.get(0).value());
        }
    }

    @Test
    void desiredDirThatIsAFileIsRejected() throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "x");
        List<ConfigProblem> problems = problems(Map.of("stackwarden.desired-dir", file.toString()));
        assertEquals(List.of("stackwarden.desired-dir"), problems.stream().map(ConfigProblem::property).toList());
    }

    @Test
    void missingDesiredDirIsNotAStartUpError() {
        assertEquals(List.of(), problems(Map.of("stackwarden.desired-dir", dir.resolve("later").toString())));
    }

    @Test
    void durationsMustBePositiveAndRetryMaxNotBelowInitial() {
        List<ConfigProblem> problems = problems(Map.of(
                "stackwarden.engine.call-timeout", "0s",
                "stackwarden.engine.retry-initial", "10s",
                "stackwarden.engine.retry-max", "5s"));
        assertEquals(List.of("stackwarden.engine.call-timeout", "stackwarden.engine.retry-max"),
                problems.stream().map(ConfigProblem::property).toList());
    }

    @Test
    void aLeaderMustStopActingBeforeItsLeaseCanExpire() {
        assertEquals(List.of(), problems(Map.of("stackwarden.leader.lease-duration", "30s",
                "stackwarden.leader.renew-deadline", "20s", "stackwarden.leader.retry-period", "5s")));
        List<ConfigProblem> problems = problems(Map.of("stackwarden.leader.lease-duration", "10s",
                "stackwarden.leader.renew-deadline", "10s", "stackwarden.leader.retry-period", "10s"));
        assertEquals(List.of("stackwarden.leader.renew-deadline", "stackwarden.leader.lease-duration"),
                problems.stream().map(ConfigProblem::property).toList());
        assertTrue(problems.get(1).reason().contains("before anyone else may start"), problems.get(1).reason());
    }

    @Test
    void leaderNameAdvertiseUrlAndOwnStackAreChecked() {
        List<ConfigProblem> problems = problems(Map.of("stackwarden.leader.name", "bad name",
                "stackwarden.leader.advertise-url", "10.0.0.5:8080", "stackwarden.self.stack", "-x"));
        assertEquals(java.util.Set.of("stackwarden.leader.name", "stackwarden.leader.advertise-url", "stackwarden.self.stack"),
                java.util.Set.copyOf(problems.stream().map(ConfigProblem::property).toList()));
        assertEquals(List.of(), problems(Map.of("stackwarden.leader.advertise-url", "http://10.0.1.5:8080",
                "stackwarden.self.stack", "stackwarden")));
    }

    @Test
    void anAdvertiseUrlWithAUserOrQueryIsRefusedAsStandbysWouldRefuseIt() {
        for (String url : List.of("http://user:pw@10.0.1.5:8080", "http://10.0.1.5:8080?x=1")) {
            assertEquals(List.of("stackwarden.leader.advertise-url"),
                    problems(Map.of("stackwarden.leader.advertise-url", url)).stream().map(ConfigProblem::property).toList(), url);
        }
    }

    @Test
    void keepVersionsDefaultsToTwoAndMustNotBeNegative() {
        assertEquals(2, configOf(Map.of()).reconcile().keepVersions());
        assertEquals(List.of(), problems(Map.of("stackwarden.reconcile.keep-versions", "0")));
        List<ConfigProblem> problems = problems(Map.of("stackwarden.reconcile.keep-versions", "-1"));
        assertEquals(List.of("stackwarden.reconcile.keep-versions"), problems.stream().map(ConfigProblem::property).toList());
    }

    @Test
    void tokenFileMustBeReadable() throws Exception {
        List<ConfigProblem> missing = problems(Map.of("stackwarden.api.token-file", dir.resolve("none").toString()));
        assertEquals("stackwarden.api.token-file", missing.get(0).property());
        Path token = Files.writeString(dir.resolve("token"), "secret");
        assertTrue(problems(Map.of("stackwarden.api.token-file", token.toString())).isEmpty());
    }

    @Test
    void registryAuthFileMustBeAReadableDockerConfigAndProblemsShowNoCredential() throws Exception {
        List<ConfigProblem> missing = problems(Map.of("stackwarden.registry.auth-file", dir.resolve("none").toString()));
        assertEquals(List.of("stackwarden.registry.auth-file"), missing.stream().map(ConfigProblem::property).toList());
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"auths\": {\"r.test\": {\"auth\": \"hunter2!\"}}}");
        List<ConfigProblem> broken = problems(Map.of("stackwarden.registry.auth-file", bad.toString()));
        assertEquals(1, broken.size());
        assertFalse(broken.get(0).toString().contains("hunter2"), broken.get(0).toString());
        Path good = Files.writeString(dir.resolve("config.json"), "{\"auths\": {\"r.test\": {\"auth\": \"dTpw\"}}}");
        assertEquals(List.of(), problems(Map.of("stackwarden.registry.auth-file", good.toString(),
                "stackwarden.registry.send-auth", "false")));
        assertTrue(configOf(Map.of()).registry().sendAuth());
    }

    @Test
    void webhookSecretFileMustBeReadable() throws Exception {
        List<ConfigProblem> missing = problems(Map.of("stackwarden.webhooks.secret-file", dir.resolve("none").toString()));
        assertEquals(List.of("stackwarden.webhooks.secret-file"), missing.stream().map(ConfigProblem::property).toList());
        Path secret = Files.writeString(dir.resolve("webhook-secret"), "secret");
        assertTrue(problems(Map.of("stackwarden.webhooks.secret-file", secret.toString())).isEmpty());
    }

    @Test
    void webhookBodyCapDefaultsToOneMebibyteAndMustNotBeZero() {
        assertEquals(1024 * 1024, configOf(Map.of()).webhooks().maxBody().asLongValue());
        assertEquals(64 * 1024, configOf(Map.of("stackwarden.webhooks.max-body", "64K")).webhooks().maxBody().asLongValue());
        List<ConfigProblem> zero = problems(Map.of("stackwarden.webhooks.max-body", "0"));
        assertEquals(List.of("stackwarden.webhooks.max-body"), zero.stream().map(ConfigProblem::property).toList());
    }

    private List<String> properties(Map<String, String> properties) {
        return problems(properties).stream().map(ConfigProblem::property).toList();
    }

    @Test
    void gitSourceDefaultsAndGoodValuesAreValid() throws Exception {
        StackwardenConfig.Source source = configOf(Map.of()).source();
        assertEquals("main", source.git().branch());
        assertEquals(Duration.ofMinutes(1), source.pollInterval());
        assertEquals(Duration.ofSeconds(5), source.scanInterval());
        assertEquals(3, source.maxStackRemovals());
        Path key = Files.writeString(dir.resolve("id_ed25519"), "key");
        Path hosts = Files.writeString(dir.resolve("known_hosts"), "hosts");
        Path token = Files.writeString(dir.resolve("git-token"), "token");
        assertEquals(List.of(), properties(Map.of("stackwarden.source.git.url", "https://git.example.org/ops/stacks.git",
                "stackwarden.source.git.token-file", token.toString(), "stackwarden.source.git.branch", "release/2025",
                "stackwarden.source.path", "deploy/swarm")));
        assertEquals(List.of(), properties(Map.of("stackwarden.source.git.url", "git@git.example.org:ops/stacks.git",
                "stackwarden.source.git.ssh-key-file", key.toString(), "stackwarden.source.git.known-hosts-file", hosts.toString())));
    }

    @Test
    void aGitUrlWithAPasswordIsRefusedWithoutShowingIt() {
        List<ConfigProblem> problems = problems(Map.of("stackwarden.source.git.url", "https://bot:s3cret@git.example.org/stacks.git"));
        assertEquals(List.of("stackwarden.source.git.url"), problems.stream().map(ConfigProblem::property).toList());
        assertTrue(problems.get(0).reason().contains("token-file"), problems.get(0).reason());
        assertFalse(problems.get(0).toString().contains("s3cret"), problems.get(0).toString());
        assertEquals("https://git.example.org/stacks.git", GitSettings.redact("https://ghp_token@git.example.org/stacks.git"),
                "over HTTPS the user may be a token");
        assertEquals("ssh://git@git.example.org/stacks.git", GitSettings.redact("ssh://git@git.example.org/stacks.git"));
    }

    @Test
    void sshNeedsAKeyAndKnownHosts() throws Exception {
        assertEquals(List.of("stackwarden.source.git.url"), properties(Map.of("stackwarden.source.git.url", "ssh://git@host/stacks.git")));
        Path key = Files.writeString(dir.resolve("id_ed25519"), "key");
        assertEquals(List.of("stackwarden.source.git.known-hosts-file"), properties(Map.of(
                "stackwarden.source.git.url", "ssh://git@host/stacks.git", "stackwarden.source.git.ssh-key-file", key.toString())));
    }

    @Test
    void wrongSourceValuesAreNamedByTheirProperty() {
        assertEquals(List.of("stackwarden.source.git.branch"), properties(Map.of("stackwarden.source.git.branch", "bad..name")));
        assertEquals(List.of("stackwarden.source.git.token-file"), properties(Map.of("stackwarden.source.git.token-file", dir.resolve("none").toString())));
        for (String path : List.of("/abs", "../up", "a/../../b", "trailing/")) {
            assertEquals(List.of("stackwarden.source.path"), properties(Map.of("stackwarden.source.path", path)), path);
        }
        assertEquals(List.of("stackwarden.source.poll-interval", "stackwarden.source.scan-interval",
                        "stackwarden.source.max-stack-removals"),
                properties(Map.of("stackwarden.source.poll-interval", "0s", "stackwarden.source.scan-interval", "0s",
                        "stackwarden.source.max-stack-removals", "-1")));
        assertEquals(List.of("stackwarden.source.retry-max"),
                properties(Map.of("stackwarden.source.retry-initial", "10s", "stackwarden.source.retry-max", "1s")));
    }

    @Test
    void httpProtectionSettingsAreChecked() {
        assertEquals(java.util.Set.of("stackwarden.http.max-requests-per-client", "stackwarden.webhooks.body-timeout",
                        "stackwarden.api.wait-timeout"),
                problems(Map.of("stackwarden.http.max-requests-per-client", "-1", "stackwarden.webhooks.body-timeout", "0s",
                        "stackwarden.api.wait-timeout", "0s")).stream().map(ConfigProblem::property)
                        .collect(java.util.stream.Collectors.toSet()));
        assertTrue(configOf(Map.of()).api().readRequiresToken(), "reads need the token by default");
        assertEquals(List.of(), problems(Map.of("stackwarden.http.max-requests-per-client", "0")));
    }

    @Test
    void remedyLimitsMustBePositiveAndAreNamed() {
        List<ConfigProblem> problems = problems(Map.of(
                "stackwarden.remedies.rebalance.min-interval", "0s",
                "stackwarden.remedies.rebalance.max-wait", "-1s",
                "stackwarden.remedies.global-complete.backoff", "0s",
                "stackwarden.remedies.global-complete.max-retries", "-1"));
        assertEquals(List.of("stackwarden.remedies.rebalance.min-interval", "stackwarden.remedies.rebalance.max-wait",
                "stackwarden.remedies.global-complete.backoff", "stackwarden.remedies.global-complete.max-retries"),
                problems.stream().map(ConfigProblem::property).toList());
        StackwardenConfig.Remedies defaults = configOf(Map.of()).remedies();
        assertEquals(Duration.ofMinutes(10), defaults.rebalance().minInterval());
        assertEquals(Duration.ofSeconds(30), defaults.globalComplete().backoff());
        assertEquals(3, defaults.globalComplete().maxRetries());
    }

    @Test
    void notificationSinksAreReadByNameAndCheckedWithTheRest() {
        Map<String, String> sinks = Map.of(
                "stackwarden.notify.sinks.team.type", "slack",
                "stackwarden.notify.sinks.team.url", "https://hooks.example/services/T0/B0/X",
                "stackwarden.notify.sinks.team.events", "health,deploy",
                "stackwarden.notify.sinks.team.stacks", "shop",
                "stackwarden.notify.sinks.gh.type", "github",
                "stackwarden.notify.sinks.gh.repository", "acme/deploy");
        StackwardenConfig.Notify notify = configOf(sinks).notifications();
        assertEquals(java.util.Set.of("team", "gh"), notify.sinks().keySet());
        assertEquals(List.of("health", "deploy"), notify.sinks().get("team").events().orElseThrow());
        assertEquals(java.time.Duration.ofHours(6), notify.sinks().get("team").remindEvery());
        assertEquals("stackwarden/{stack}", notify.sinks().get("gh").context());
        assertEquals(List.of("stackwarden.notify.sinks.gh.token-file"), properties(sinks));
        assertEquals(List.of("stackwarden.notify.max-attempts", "stackwarden.notify.retry-max"),
                properties(Map.of("stackwarden.notify.max-attempts", "0", "stackwarden.notify.retry-max", "1s")));
    }
}
