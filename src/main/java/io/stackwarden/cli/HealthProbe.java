package io.stackwarden.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;

/**
 * The image's health check: GETs one health endpoint of the daemon in the same container and exits 0 on 200,
 * 1 otherwise. A plain class with the JDK only, run straight from the application jar
 * ({@code java -cp '/opt/stackwarden/app/*' io.stackwarden.cli.HealthProbe}) so it costs a small JVM and no
 * Quarkus start-up, and the image needs no curl. {@link HttpURLConnection} loads fewer classes than the JDK's
 * HttpClient, which matters when a check runs every few seconds.
 * <p>
 * Arguments: the path (default {@code /q/health/live}); the port comes from {@code QUARKUS_HTTP_PORT} (default 8080).
 */
public final class HealthProbe {

    static final String DEFAULT_PATH = "/q/health/live";
    private static final int TIMEOUT_MILLIS = 4000;

    private HealthProbe() {
    }

    public static void main(String... args) {
        String port = System.getenv().getOrDefault("QUARKUS_HTTP_PORT", "8080");
        String path = args.length > 0 ? args[0] : DEFAULT_PATH;
        int status = status(URI.create("http://127.0.0.1:" + port + path));
        if (status != 200) {
            System.err.println("GET " + path + ": " + (status < 0 ? "no answer" : "HTTP " + status));
            System.exit(1);
        }
    }

    /** The HTTP status of a GET of {@code uri}, or -1 when nothing answers in time. */
    static int status(URI uri) {
        try {
            HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
            connection.setConnectTimeout(TIMEOUT_MILLIS);
            connection.setReadTimeout(TIMEOUT_MILLIS);
            try {
                int status = connection.getResponseCode();
                try (InputStream body = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
                    if (body != null) {
                        body.readAllBytes();
                    }
                }
                return status;
            } finally {
                connection.disconnect();
            }
        } catch (IOException e) {
            return -1;
        }
    }
}
