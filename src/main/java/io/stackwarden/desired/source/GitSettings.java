package io.stackwarden.desired.source;

import org.eclipse.jgit.transport.URIish;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How to reach and follow the remote of a Git working copy.
 *
 * @param url            the remote; empty: use the working copy's own {@code origin}
 * @param branch         the branch followed; the working copy is hard-reset to its remote head
 * @param tokenFile      HTTPS: file holding the token (the password), read at every fetch
 * @param username       HTTPS: user name sent with the token
 * @param sshKeyFile     SSH: private key file (without passphrase)
 * @param knownHostsFile SSH: known_hosts file; unknown or changed host keys are refused
 * @param timeout        deadline of one fetch's network operations
 */
public record GitSettings(Optional<String> url, String branch, Optional<Path> tokenFile, String username,
                          Optional<Path> sshKeyFile, Optional<Path> knownHostsFile, Duration timeout) {

    /**
     * A URL for logs, status and errors: never a password, and no user either except over SSH (where it
     * is part of the address; over HTTPS it may be a token).
     */
    public static String redact(String url) {
        try {
            URIish uri = new URIish(url).setPass(null);
            return (isSsh(url) ? uri : uri.setUser(null)).toString();
        } catch (URISyntaxException e) {
            return "<unparseable URL>";
        }
    }

    /** Whether the URL is reached over SSH ({@code ssh://} or {@code user@host:path}). */
    public static boolean isSsh(String url) {
        try {
            URIish uri = new URIish(url);
            String scheme = uri.getScheme();
            return scheme == null ? uri.getHost() != null : scheme.startsWith("ssh") || scheme.endsWith("+ssh");
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
