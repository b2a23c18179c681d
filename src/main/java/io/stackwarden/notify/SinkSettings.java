package io.stackwarden.notify;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One sink as configured under {@code stackwarden.notify.sinks.<name>.*}: checked as a whole by {@link #problems()}
 * (the application refuses to start with any), then made into its {@link Channel}.
 *
 * @param type        {@code webhook}, {@code slack}, {@code github}, {@code gitlab} or {@code gitea}
 * @param url         where to post (webhook, slack), or the API's base (Git hosts; a default for GitHub and GitLab)
 * @param urlFile     a file holding the URL instead, when the URL is the secret (a Slack webhook)
 * @param secretFile  webhook: the HMAC key the body is signed with
 * @param tokenFile   Git hosts: the access token
 * @param repository  Git hosts: {@code owner/name} (GitLab: the project's ID or path)
 * @param events      the kinds told; empty: every kind (Git hosts: {@code deploy}, the only one they show)
 * @param stacks      the stacks told about; empty: all
 * @param remindEvery how often what stays broken is told again; zero: never
 * @param context     Git hosts: the status's name, {@code {stack}} replaced by the stack
 * @param targetUrl   Git hosts: the status's link, {@code {stack}} replaced likewise
 */
public record SinkSettings(String name, String type, Optional<String> url, Optional<Path> urlFile,
                           Optional<Path> secretFile, Optional<Path> tokenFile, Optional<String> repository,
                           List<String> events, List<String> stacks, Duration remindEvery, String context,
                           Optional<String> targetUrl) {

    public static final String PREFIX = "stackwarden.notify.sinks.";

    private static final Set<String> PLAIN = Set.of("webhook", "slack");
    private static final String HIDDEN = "(not shown)";

    /** The full name of this sink's {@code key}, for messages. */
    public String property(String key) {
        return PREFIX + name + "." + key;
    }

    /** One wrong value; a URL is never shown, it may be the secret. */
    public record Problem(String property, String value, String reason) {
    }

    /** What is wrong with these settings; empty when none. */
    public List<Problem> problems() {
        List<Problem> problems = new ArrayList<>();
        Optional<Forge> forge = forge();
        if (forge.isEmpty() && !PLAIN.contains(type)) {
            problems.add(new Problem(property("type"), type, "is none of webhook, slack, "
                    + Arrays.stream(Forge.values()).map(Forge::type).collect(Collectors.joining(", "))));
            return problems;
        }
        if (url.isPresent() && urlFile.isPresent()) {
            problems.add(new Problem(property("url-file"), urlFile.get().toString(), "set either url or url-file, not both"));
        }
        url.filter(value -> !isHttp(value)).ifPresent(value -> problems.add(new Problem(property("url"), HIDDEN,
                "is not an http(s) URL")));
        if (forge.isPresent() && urlFile.isPresent()) {
            problems.add(new Problem(property("url-file"), urlFile.get().toString(),
                    "is for webhook and slack sinks; a Git host's API base goes in url"));
        }
        if (url.isEmpty() && urlFile.isEmpty() && forge.map(f -> f.defaultUrl().isEmpty()).orElse(true)) {
            problems.add(new Problem(property("url"), "", "is required for type " + type));
        }
        readable(problems, "url-file", urlFile);
        readable(problems, "secret-file", secretFile);
        readable(problems, "token-file", tokenFile);
        if (forge.isPresent() && tokenFile.isEmpty()) {
            problems.add(new Problem(property("token-file"), "", "is required for type " + type));
        }
        if (forge.isPresent() && repository.filter(name -> !name.isBlank()).isEmpty()) {
            problems.add(new Problem(property("repository"), "", "is required for type " + type + " (owner/name"
                    + (forge.get() == Forge.GITLAB ? ", or the project's ID)" : ")")));
        }
        events.stream().filter(event -> NoticeKind.named(event).isEmpty()).forEach(event -> problems.add(new Problem(
                property("events"), event, "is none of " + Arrays.stream(NoticeKind.values()).map(NoticeKind::word)
                .collect(Collectors.joining(", ")))));
        if (remindEvery.isNegative()) {
            problems.add(new Problem(property("remind-every"), remindEvery.toString(), "must not be negative"));
        }
        return problems;
    }

    /** This sink, ready to be told; call only when {@link #problems()} is empty. */
    public Channel channel(HttpPoster http) {
        Optional<Forge> forge = forge();
        Sink sink;
        if (forge.isPresent()) {
            sink = new CommitStatusSink(forge.get(), url.orElse(forge.get().defaultUrl()), repository.orElseThrow(),
                    tokenFile.orElseThrow(), property("token-file"), context, targetUrl, http);
        } else {
            Endpoint endpoint = url.map(value -> Endpoint.of(URI.create(value)))
                    .orElseGet(() -> Endpoint.fromFile(urlFile.orElseThrow(), property("url-file")));
            sink = type.equals("slack") ? new SlackSink(endpoint, http)
                    : new JsonWebhookSink(endpoint, secretFile, property("secret-file"), http);
        }
        Set<NoticeKind> kinds = events.isEmpty()
                ? (forge.isPresent() ? EnumSet.of(NoticeKind.DEPLOY) : EnumSet.allOf(NoticeKind.class))
                : events.stream().map(event -> NoticeKind.named(event).orElseThrow()).collect(Collectors.toSet());
        return new Channel(name, sink, new SinkFilter(kinds, Set.copyOf(stacks)), new Dedupe(remindEvery));
    }

    private Optional<Forge> forge() {
        return Arrays.stream(Forge.values()).filter(forge -> forge.type().equals(type)).findFirst();
    }

    private static boolean isHttp(String value) {
        try {
            URI uri = URI.create(value);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private void readable(List<Problem> problems, String key, Optional<Path> file) {
        file.filter(path -> !Files.isRegularFile(path) || !Files.isReadable(path))
                .ifPresent(path -> problems.add(new Problem(property(key), path.toString(), "is not a readable file")));
    }
}
