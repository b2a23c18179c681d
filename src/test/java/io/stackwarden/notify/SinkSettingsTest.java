package io.stackwarden.notify;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Sink settings: every mistake named by its property (never a URL's value), and the defaults of each type. */
class SinkSettingsTest {

    @TempDir
    Path dir;

    private static SinkSettings sink(String type, Optional<String> url, Optional<Path> urlFile, Optional<Path> token,
                                     Optional<String> repository, List<String> events) {
        return new SinkSettings("x", type, url, urlFile, Optional.empty(), token, repository, events, List.of(),
                Duration.ofHours(6), "stackwarden/{stack}", Optional.empty());
    }

    private static List<String> problems(SinkSettings settings) {
        return settings.problems().stream().map(p -> p.property() + "=" + p.value() + ": " + p.reason()).toList();
    }

    @Test
    void anUnknownTypeIsNamed() {
        assertEquals(List.of("stackwarden.notify.sinks.x.type=teams: is none of webhook, slack, github, gitlab, gitea"),
                problems(sink("teams", Optional.of("https://hooks.example/x"), Optional.empty(), Optional.empty(),
                        Optional.empty(), List.of())));
    }

    @Test
    void aWebhookNeedsAnHttpUrlWhoseValueIsNeverShown() {
        assertEquals(List.of("stackwarden.notify.sinks.x.url=: is required for type webhook"),
                problems(sink("webhook", Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), List.of())));
        List<String> bad = problems(sink("slack", Optional.of("ftp://hooks.example/T0/B0/secret-part"), Optional.empty(),
                Optional.empty(), Optional.empty(), List.of()));
        assertEquals(List.of("stackwarden.notify.sinks.x.url=(not shown): is not an http(s) URL"), bad);
    }

    @Test
    void gitHostsNeedATokenFileAndARepositoryAndGiteaAUrl() throws Exception {
        assertEquals(List.of("stackwarden.notify.sinks.x.token-file=: is required for type github",
                        "stackwarden.notify.sinks.x.repository=: is required for type github (owner/name)"),
                problems(sink("github", Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), List.of())));
        Path token = Files.writeString(dir.resolve("token"), "t");
        assertEquals(List.of("stackwarden.notify.sinks.x.url=: is required for type gitea"),
                problems(sink("gitea", Optional.empty(), Optional.empty(), Optional.of(token), Optional.of("a/b"), List.of())));
        assertEquals(List.of(), problems(sink("gitlab", Optional.empty(), Optional.empty(), Optional.of(token),
                Optional.of("42"), List.of())));
        assertEquals(List.of("stackwarden.notify.sinks.x.token-file=" + dir.resolve("missing") + ": is not a readable file"),
                problems(sink("github", Optional.empty(), Optional.empty(), Optional.of(dir.resolve("missing")),
                        Optional.of("a/b"), List.of())));
    }

    @Test
    void unknownEventsAreNamed() {
        assertEquals(List.of("stackwarden.notify.sinks.x.events=deployed: is none of sync, health, deploy, pruned, remedy, source"),
                problems(sink("webhook", Optional.of("https://hooks.example/x"), Optional.empty(), Optional.empty(),
                        Optional.empty(), List.of("sync", "deployed"))));
    }

    @Test
    void gitHostsAreToldDeploysAndOthersEverythingUnlessConfigured() throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "t");
        HttpPoster http = new HttpPoster(Duration.ofSeconds(1));
        assertEquals(Set.of(NoticeKind.DEPLOY), sink("github", Optional.empty(), Optional.empty(), Optional.of(token),
                Optional.of("a/b"), List.of()).channel(http).filter().events());
        assertEquals(EnumSet.allOf(NoticeKind.class), sink("slack", Optional.of("https://hooks.example/x"), Optional.empty(),
                Optional.empty(), Optional.empty(), List.of()).channel(http).filter().events());
        Channel some = sink("webhook", Optional.of("https://hooks.example/x"), Optional.empty(), Optional.empty(),
                Optional.empty(), List.of("health", "source")).channel(http);
        assertEquals(Set.of(NoticeKind.HEALTH, NoticeKind.SOURCE), some.filter().events());
        assertFalse(some.filter().accepts(Notice.of(NoticeKind.SYNC, "shop", "OutOfSync", Notice.Level.WARNING, "", "", "",
                java.time.Instant.EPOCH)));
    }
}
