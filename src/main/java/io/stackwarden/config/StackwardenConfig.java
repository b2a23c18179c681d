package io.stackwarden.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import io.stackwarden.remedy.node.AgentDirectory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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

    /** Settings of the reconcile loop. */
    Reconcile reconcile();

    /** Settings of the REST API. */
    Api api();

    /** Settings of the push webhooks ({@code /api/v1/webhooks/{provider}}). */
    Webhooks webhooks();

    /** Protection of the HTTP server against many or slow clients. */
    Http http();

    /** Where the desired state comes from and how it is kept current. */
    Source source();

    /** Credentials of private image registries. */
    Registry registry();

    /** The watch of image tags, for stacks that opt in with watchImages. */
    Images images();

    /** The node agents and the remedies they carry out (stuck tasks, leftover containers). */
    Agent agent();

    /** What Stackwarden fixes on its own (docs/remedies.md). */
    Remedies remedies();

    /** Notifications of what changed: webhooks, chats, commit statuses. */
    @WithName("notify")
    Notify notifications();

    /** Period of the full resync of every stack. */
    @WithDefault("3m")
    Duration resyncInterval();

    /** One acting instance among several replicas: the lease and the state kept in the swarm. */
    Leader leader();

    /** Stackwarden's own place in the swarm. */
    Self self();

    /** The lease that lets one replica act, and the state that survives restarts and take-overs. */
    interface Leader {
        /** Off: this instance always acts and keeps its state in memory only (one instance, development and tests). */
        @WithDefault("true")
        boolean enabled();

        /** Names the swarm configs of the lease ({@code <name>.lease}) and the saved state ({@code <name>.state}). */
        @WithDefault("stackwarden")
        String name();

        /** This instance among the replicas; default: the hostname and the process ID. */
        Optional<String> identity();

        /** Where standbys hand mutating requests and webhooks to this instance when it leads; default: http://<own address>:<http port>. */
        @WithName("advertise-url")
        Optional<String> advertiseUrl();

        /** How long standbys wait for a renewal before they take the lease over. */
        @WithDefault("15s")
        Duration leaseDuration();

        /** How long after its last renewal a leader still acts; shorter than the lease duration. */
        @WithDefault("10s")
        Duration renewDeadline();

        /** Period of renewals, of the standbys' reads of the lease and of the saved state. */
        @WithDefault("2s")
        Duration retryPeriod();
    }

    /** Where Stackwarden itself runs. */
    interface Self {
        /** The stack Stackwarden runs in, never managed by it; default: the stack label of its own container, found through the engine. */
        Optional<String> stack();
    }

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

        /** The cache of swarm objects that passes read instead of the engine. */
        Cache cache();
    }

    /** The swarm cache: filled by listings, kept current by engine events. */
    interface Cache {
        /** Off: every pass reads the engine. */
        @WithDefault("true")
        boolean enabled();

        /** Period of a full listing, for what events miss (far rarer than the resync: events keep the cache current). */
        @WithDefault("30m")
        Duration relistInterval();
    }

    /** The reconcile loop and its queue. */
    interface Reconcile {
        /** Stacks reconciled at the same time. */
        @WithDefault("4")
        int parallelism();

        /** Stacks that may wait for a worker; beyond that, requests are refused (HTTP 503). */
        @WithDefault("1000")
        int queueCapacity();

        /** First retry delay of a stack after a transient failure; doubled per failure, with jitter. */
        @WithDefault("2s")
        Duration retryInitial();

        /** Upper bound of that delay. */
        @WithDefault("5m")
        Duration retryMax();

        /** Delay before a stack whose tasks are still converging is checked again. */
        @WithDefault("5s")
        Duration convergeDelay();

        /** How long a resolved image digest is reused for the same reference. */
        @WithDefault("10m")
        Duration imageCacheTtl();

        /** Old versions of each config and secret kept for rollback after its content changed (0 or more); older ones no service uses are removed. */
        @WithDefault("2")
        int keepVersions();
    }

    /** REST API. */
    interface Api {
        /** File holding the bearer token that mutating endpoints require (a Docker secret in production). */
        @WithName("token-file")
        Optional<Path> tokenFile();

        /** Whether the read-only calls (stacks, source) need the token too, when one is configured; health and metrics never do. */
        @WithName("read-requires-token")
        @WithDefault("true")
        boolean readRequiresToken();

        /** Longest a {@code ?wait=true} sync waits for its passes before answering 202 (keep it below quarkus.http.idle-timeout). */
        @WithDefault("2m")
        Duration waitTimeout();
    }

    /** Push webhooks of Git hosts. */
    interface Webhooks {
        /** File holding the webhook secret; without it, webhooks are accepted unsigned (a warning at start-up says so). */
        @WithName("secret-file")
        Optional<Path> secretFile();

        /** Largest webhook body accepted; a larger one gets 413 (quarkus.http.limits.max-body-size caps every body too). */
        @WithDefault("1M")
        MemorySize maxBody();

        /** Longest a client may take to send a webhook body; a slower one gets 408 and is disconnected. */
        @WithDefault("10s")
        Duration bodyTimeout();
    }

    /** The HTTP server. */
    interface Http {
        /** Requests one client address may have in progress at once (health and metrics excepted); 0: no limit. */
        @WithDefault("32")
        int maxRequestsPerClient();
    }

    /** Private image registries. */
    interface Registry {
        /** A Docker config.json (the format docker login writes) with the credentials per registry; read again when it changes. */
        @WithName("auth-file")
        Optional<Path> authFile();

        /** Send the image's registry credentials with service creates and updates, so nodes can pull (--with-registry-auth). */
        @WithName("send-auth")
        @WithDefault("true")
        boolean sendAuth();
    }

    /** The remedies' limits. */
    interface Remedies {
        Rebalance rebalance();

        @WithName("global-complete")
        GlobalComplete globalComplete();
    }

    /** Opted-in services spread again when a node returns. */
    interface Rebalance {
        /** The shortest time between two forced updates of one service by the rebalance. */
        @WithDefault("10m")
        Duration minInterval();

        /** The longest the next service's rebalance waits for the previous one's update to end. */
        @WithDefault("10m")
        Duration maxWait();
    }

    /** Global services retried on a node without their task. */
    interface GlobalComplete {
        /** Wait before the first retry, once a node is seen without a task and none is on its way; doubled per retry. */
        @WithDefault("30s")
        Duration backoff();

        /** Retries per service spec; a node still without a task after them is reported only. */
        @WithDefault("3")
        int maxRetries();
    }

    /** The watch of image tags. */
    interface Images {
        /** Tag lookups per minute to one registry, at most (the watch's and registry notifications'). */
        @WithDefault("60")
        int lookupsPerMinute();
    }

    /** The node agents (a global service of the same image, {@code agent}) and the remedies done through them. */
    interface Agent {
        /** File holding the token the agents share with Stackwarden (a Docker secret); without it the node remedies are off. */
        @WithName("token-file")
        Optional<Path> tokenFile();

        /** How to reach an agent: its task's address on the overlay network shared with Stackwarden, or its node's address and published port. */
        @WithDefault("overlay")
        AgentDirectory.AddressMode address();

        /** The port the agents listen on (and publish in host mode, for the node address mode). */
        @WithDefault("8091")
        int port();

        /** Period of the scan for stuck tasks and leftover containers. */
        @WithDefault("15s")
        Duration scanInterval();

        /** A stuck task's shim is killed this long after its stop grace period, counted from when a scan first saw it. */
        @WithDefault("30s")
        Duration stuckMargin();

        /** A leftover container is removed this long after a scan first saw it. */
        @WithDefault("10m")
        Duration leftoverGrace();

        /** Agent actions (shim kills and removals) per minute, at most, in the whole swarm. */
        @WithDefault("6")
        int actionsPerMinute();

        /** Attempts per stuck task or leftover container; then it is reported and left alone. */
        @WithDefault("3")
        int maxAttempts();

        /** The longest one agent call may take (a shim kill starts a helper container and waits for the engine). */
        @WithDefault("60s")
        Duration callTimeout();
    }

    /** The desired-state source: a plain folder, or a Git working copy of a remote. */
    interface Source {
        /** Folder below the desired-dir (for Git: of the repository) that holds the stack folders; empty: its root. */
        Optional<String> path();

        /** Period of the fetch of a Git source (a push webhook fetches at once). */
        @WithDefault("1m")
        Duration pollInterval();

        /** Period of the scan of a plain folder for changed, added and removed stack folders. */
        @WithDefault("5s")
        Duration scanInterval();

        /** First retry delay after a failed fetch; doubled per failure, with jitter. */
        @WithDefault("5s")
        Duration retryInitial();

        /** Upper bound of that delay. */
        @WithDefault("5m")
        Duration retryMax();

        /** More stacks than this leaving the desired state at once are removed only by a manual sync. */
        @WithDefault("3")
        int maxStackRemovals();

        /** The Git remote, when the desired-dir is a working copy of one. */
        Git git();
    }

    /** Git remote of the desired state. */
    interface Git {
        /** Remote URL (https://, ssh://, user@host:path, file://); when set the desired-dir is a working copy of it. */
        Optional<String> url();

        /** Branch followed: the working copy is hard-reset to its remote head. */
        @WithDefault("main")
        String branch();

        /** HTTPS: file holding the access token (sent as password), read at every fetch. */
        @WithName("token-file")
        Optional<Path> tokenFile();

        /** HTTPS: user name sent with the token. */
        @WithDefault("git")
        String username();

        /** SSH: private key file without passphrase. */
        @WithName("ssh-key-file")
        Optional<Path> sshKeyFile();

        /** SSH: known_hosts file; a host key not in it is refused. */
        @WithName("known-hosts-file")
        Optional<Path> knownHostsFile();

        /** Deadline of the network operations of one fetch. */
        @WithDefault("60s")
        Duration timeout();
    }

    /** Notifications: where they go, and how they get there. */
    interface Notify {
        /** The sinks by name ({@code stackwarden.notify.sinks.<name>.type=...}); none: nothing is sent. */
        Map<String, Sink> sinks();

        /** Notices waiting to be sent, at most; beyond that new ones are dropped (and counted). */
        @WithDefault("1000")
        int queueCapacity();

        /** Attempts per notice when the receiver is unreachable or busy (5xx, 429), the first included. */
        @WithDefault("5")
        int maxAttempts();

        /** Delay before the first retry of a notice; doubled per attempt, with jitter. */
        @WithDefault("2s")
        Duration retryInitial();

        /** Upper bound of that delay. */
        @WithDefault("2m")
        Duration retryMax();

        /** Deadline of one delivery (connect and answer). */
        @WithDefault("10s")
        Duration timeout();
    }

    /** One notification sink. */
    interface Sink {
        /** webhook, slack, github, gitlab or gitea. */
        String type();

        /** Where to post (webhook, slack), or the API's base URL of a Git host (default for github and gitlab). */
        Optional<String> url();

        /** A file holding the URL instead, when the URL is itself the secret (a Slack incoming webhook). */
        @WithName("url-file")
        Optional<Path> urlFile();

        /** webhook: file holding the key of the X-Stackwarden-Signature HMAC. */
        @WithName("secret-file")
        Optional<Path> secretFile();

        /** github, gitlab, gitea: file holding the access token. */
        @WithName("token-file")
        Optional<Path> tokenFile();

        /** github, gitea: owner/name of the desired-state repository; gitlab: the project's ID or path. */
        Optional<String> repository();

        /** Kinds of notices sent: sync, health, deploy, pruned, remedy, source; default: all (Git hosts: deploy). */
        Optional<List<String>> events();

        /** Stacks told about; default: all. */
        Optional<List<String>> stacks();

        /** How often what stays broken is told again; 0 never. */
        @WithName("remind-every")
        @WithDefault("6h")
        Duration remindEvery();

        /** Git hosts: the commit status's name; {stack} is replaced by the stack. */
        @WithDefault("stackwarden/{stack}")
        String context();

        /** Git hosts: the commit status's link (e.g. the dashboard); {stack} is replaced by the stack. */
        @WithName("target-url")
        Optional<String> targetUrl();
    }
}
