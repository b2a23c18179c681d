package io.stackwarden.api.webhook;

import io.stackwarden.compose.InputFile;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.MemorySize;
import io.stackwarden.config.StackwardenConfig;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The shared webhook secret. The file is read on every delivery, so a rotated Docker secret takes
 * effect without a restart; surrounding whitespace (a trailing newline) is not part of the secret.
 */
@Singleton
public class WebhookSecret {

    private static final Logger LOG = Logger.getLogger(WebhookSecret.class);

    @Inject
    StackwardenConfig config;

    /**
     * The secret; empty when none is configured (deliveries are accepted unsigned). Throws when a
     * secret file is configured but cannot be read or is empty: then every delivery must be refused.
     */
    public Optional<byte[]> current() throws IOException {
        return read(config.webhooks().secretFile());
    }

    static Optional<byte[]> read(Optional<Path> file) throws IOException {
        if (file.isEmpty()) {
            return Optional.empty();
        }
        String secret = InputFile.credential(file.get(), "stackwarden.webhooks.secret-file");
        if (secret.isEmpty()) {
            throw new IOException(file.get() + " is empty");
        }
        return Optional.of(secret.getBytes(StandardCharsets.UTF_8));
    }

    void warnAtStartup(@Observes StartupEvent event) {
        if (config.webhooks().secretFile().isEmpty()) {
            LOG.warn("stackwarden.webhooks.secret-file is not set: webhooks under /api/v1/webhooks are accepted unsigned, "
                    + "so anyone who can reach them can make Stackwarden refresh its source");
        }
        long cap = config.webhooks().maxBody().asLongValue();
        ConfigProvider.getConfig().getOptionalValue("quarkus.http.limits.max-body-size", MemorySize.class)
                .filter(global -> global.asLongValue() < cap)
                .ifPresent(global -> LOG.warnf("stackwarden.webhooks.max-body (%d bytes) is above "
                        + "quarkus.http.limits.max-body-size (%d bytes), which refuses larger bodies first",
                        cap, global.asLongValue()));
    }
}
