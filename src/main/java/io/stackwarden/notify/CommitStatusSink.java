package io.stackwarden.notify;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A commit status on the revision a stack runs (or failed to run), on GitHub, GitLab or Gitea: pending while
 * its tasks start, success once healthy, failure when the pass failed or the stack is degraded. Only
 * {@code deploy} notices of Git revisions become statuses; each stack has its own context.
 */
public final class CommitStatusSink implements Sink {

    /** The longest description GitHub takes. */
    static final int DESCRIPTION_LENGTH = 140;
    private static final Pattern GIT_REVISION = Pattern.compile("git:[0-9a-f]{40}");

    private final Forge forge;
    private final String base;
    private final String repository;
    private final Path tokenFile;
    private final String tokenProperty;
    private final String context;
    private final Optional<String> targetUrl;
    private final HttpPoster http;

    /**
     * @param context   the status's name, {@code {stack}} replaced by the stack
     * @param targetUrl the link of the status, {@code {stack}} replaced likewise
     */
    public CommitStatusSink(Forge forge, String base, String repository, Path tokenFile, String tokenProperty,
                            String context, Optional<String> targetUrl, HttpPoster http) {
        this.forge = forge;
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.repository = repository;
        this.tokenFile = tokenFile;
        this.tokenProperty = tokenProperty;
        this.context = context;
        this.targetUrl = targetUrl;
        this.http = http;
    }

    @Override
    public boolean handles(Notice notice) {
        return notice.kind() == NoticeKind.DEPLOY && GIT_REVISION.matcher(notice.revision()).matches();
    }

    @Override
    public void deliver(Notice notice) throws DeliveryFailure {
        if (!handles(notice)) {
            return;
        }
        String sha = notice.revision().substring("git:".length());
        ObjectNode body = JsonNodeFactory.instance.objectNode()
                .put("state", forge.state(notice.state()))
                .put(forge.nameField(), context.replace("{stack}", notice.stack()))
                .put("description", description(notice));
        targetUrl.ifPresent(url -> body.put("target_url", url.replace("{stack}", notice.stack())));
        String token = CredentialFile.read(tokenFile, tokenProperty);
        http.post(URI.create(base + forge.path(repository, sha)), forge.headers(token), HttpPoster.bytes(body));
    }

    private static String description(Notice notice) {
        String text = switch (notice.state()) {
            case Notices.PENDING -> "Applied; tasks starting";
            case Notices.SUCCESS -> "Deployed and healthy";
            default -> notice.detail().isEmpty() ? "Failed" : "Failed: " + notice.detail();
        };
        return text.length() <= DESCRIPTION_LENGTH ? text : text.substring(0, DESCRIPTION_LENGTH - 3) + "...";
    }
}
