package io.stackwarden.notify;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The commit-status APIs of the Git hosts, as each documents it: path, authentication, the words for the
 * states, and the field that names the status.
 */
public enum Forge {
    /** {@code POST /repos/{owner}/{repo}/statuses/{sha}}; the base is {@code https://api.github.com} or GHES' {@code /api/v3}. */
    GITHUB("github", "https://api.github.com", "context") {
        @Override
        String path(String repository, String sha) {
            return "/repos/" + repository + "/statuses/" + sha;
        }

        @Override
        Map<String, String> headers(String token) {
            return Map.of("Authorization", "Bearer " + token, "Accept", "application/vnd.github+json",
                    "X-GitHub-Api-Version", "2022-11-28");
        }
    },
    /** {@code POST /api/v4/projects/{id or URL-encoded path}/statuses/{sha}}, states running/success/failed. */
    GITLAB("gitlab", "https://gitlab.com", "name") {
        @Override
        String path(String repository, String sha) {
            String project = repository.chars().allMatch(Character::isDigit) ? repository
                    : URLEncoder.encode(repository, StandardCharsets.UTF_8);
            return "/api/v4/projects/" + project + "/statuses/" + sha;
        }

        @Override
        Map<String, String> headers(String token) {
            return Map.of("PRIVATE-TOKEN", token);
        }

        @Override
        String state(String deploy) {
            return switch (deploy) {
                case Notices.PENDING -> "running";
                case Notices.SUCCESS -> "success";
                default -> "failed";
            };
        }
    },
    /** {@code POST /api/v1/repos/{owner}/{repo}/statuses/{sha}} (Forgejo too); no public default host. */
    GITEA("gitea", "", "context") {
        @Override
        String path(String repository, String sha) {
            return "/api/v1/repos/" + repository + "/statuses/" + sha;
        }

        @Override
        Map<String, String> headers(String token) {
            return Map.of("Authorization", "token " + token);
        }

        @Override
        String state(String deploy) {
            return deploy; // pending, success, failure
        }
    };

    private final String type;
    private final String defaultUrl;
    private final String nameField;

    Forge(String type, String defaultUrl, String nameField) {
        this.type = type;
        this.defaultUrl = defaultUrl;
        this.nameField = nameField;
    }

    /** The sink {@code type} in the configuration. */
    public String type() {
        return type;
    }

    /** The API's base URL when none is configured; empty when every installation has its own. */
    public String defaultUrl() {
        return defaultUrl;
    }

    /** The body field that tells this status from others on the same commit. */
    String nameField() {
        return nameField;
    }

    /** @param repository {@code owner/name} (GitLab: the project's ID or path) */
    abstract String path(String repository, String sha);

    abstract Map<String, String> headers(String token);

    /**
     * The host's word for a deploy state ({@link Notices#PENDING}, {@link Notices#SUCCESS}, {@link Notices#FAILURE}):
     * the same words on GitHub and Gitea.
     */
    String state(String deploy) {
        return deploy;
    }
}
