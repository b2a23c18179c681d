package io.stackwarden.notify;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a sink posts: a URL in the configuration, or one read from a file at every delivery when the URL is
 * itself the secret (a Slack incoming webhook), so a rotated Docker secret counts without a restart.
 */
public final class Endpoint {

    private final Optional<URI> uri;
    private final Optional<Path> file;
    private final String property;

    private Endpoint(Optional<URI> uri, Optional<Path> file, String property) {
        this.uri = uri;
        this.file = file;
        this.property = property;
    }

    public static Endpoint of(URI uri) {
        return new Endpoint(Optional.of(uri), Optional.empty(), "");
    }

    /** @param property the property that names the file, for errors (never the file's content) */
    public static Endpoint fromFile(Path file, String property) {
        return new Endpoint(Optional.empty(), Optional.of(file), property);
    }

    public URI uri() throws DeliveryFailure {
        if (uri.isPresent()) {
            return uri.get();
        }
        String text = CredentialFile.read(file.orElseThrow(), property);
        try {
            URI read = URI.create(text);
            if (read.getScheme() == null || !read.getScheme().startsWith("http")) {
                throw new IllegalArgumentException("not http(s)");
            }
            return read;
        } catch (IllegalArgumentException e) {
            throw new DeliveryFailure(property + " does not hold an http(s) URL", false);
        }
    }
}
