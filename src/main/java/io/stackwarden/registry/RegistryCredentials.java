package io.stackwarden.registry;

import io.stackwarden.compose.FileKind;
import io.stackwarden.compose.InputFile;
import io.stackwarden.compose.engine.ImageReference;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The registry credentials from {@code stackwarden.registry.auth-file} (a Docker {@code config.json}, such as a
 * Docker secret). The file is read again when its modification time, size or identity changed, so a rotated
 * secret is used from the next lookup on; a changed file that cannot be used keeps the last good credentials,
 * with a warning that names the reason, never a value.
 */
public final class RegistryCredentials {

    public static final String PROPERTY = "stackwarden.registry.auth-file";
    private static final Logger LOG = Logger.getLogger(RegistryCredentials.class.getName());

    /** Stands for a file that could not even be looked at. */
    private static final Object UNREADABLE = new Object();
    private static final RegistryCredentials NONE = new RegistryCredentials(null, new Loaded(UNREADABLE, Map.of(), 0));

    private final Path file;
    private volatile Loaded loaded;
    /** The stamp of the file last refused (warned about once), or null. */
    private volatile Object refused;

    private RegistryCredentials(Path file, Loaded loaded) {
        this.file = file;
        this.loaded = loaded;
    }

    /** No credentials: every lookup is anonymous. */
    public static RegistryCredentials none() {
        return NONE;
    }

    /** Reads {@code file} now; a file that cannot be used is an error, as at start-up. */
    public static RegistryCredentials from(Path file) throws RegistryConfigException {
        Stamp stamp = stamp(file);
        return new RegistryCredentials(file, new Loaded(stamp, read(file), 1));
    }

    /** Checks a credentials file without keeping it: the configuration validation. */
    public static void check(Path file) throws RegistryConfigException {
        read(file);
    }

    /** The credentials for the registry of {@code image}, if the file has an entry for it. */
    public Optional<RegistryAuth> forImage(String image) {
        return ImageReference.registry(image).flatMap(this::forRegistry);
    }

    /** The credentials for {@code registry} ({@code host[:port]}, {@code docker.io} for Docker Hub). */
    public Optional<RegistryAuth> forRegistry(String registry) {
        return RegistryHost.find(current().auths(), registry);
    }

    /** Grows by one whenever other credentials were read: answers cached under older ones may be stale. */
    public long generation() {
        return current().generation();
    }

    private Loaded current() {
        Loaded now = loaded;
        if (file == null) {
            return now;
        }
        Object stamp;
        try {
            stamp = stamp(file);
        } catch (RegistryConfigException e) {
            stamp = UNREADABLE;
            warn(stamp, e);
        }
        if (stamp.equals(now.stamp()) || stamp.equals(refused)) {
            return now;
        }
        synchronized (this) {
            if (!stamp.equals(loaded.stamp()) && !stamp.equals(refused)) {
                try {
                    loaded = new Loaded(stamp, read(file), loaded.generation() + 1);
                    refused = null;
                    LOG.info(() -> PROPERTY + ": read again (" + loaded.auths().size() + " registries)");
                } catch (RegistryConfigException e) {
                    warn(stamp, e);
                }
            }
            return loaded;
        }
    }

    /** Once per changed file that cannot be used: the last good credentials stay. */
    private synchronized void warn(Object stamp, RegistryConfigException e) {
        if (!stamp.equals(refused)) {
            refused = stamp;
            LOG.warning(() -> e.getMessage() + "; the credentials read before are still used");
        }
    }

    private static Map<String, RegistryAuth> read(Path file) throws RegistryConfigException {
        try {
            return DockerConfigFile.parse(InputFile.read(file, FileKind.REGISTRY_AUTH, PROPERTY));
        } catch (IOException e) {
            throw new RegistryConfigException(e.getMessage());
        }
    }

    private static Stamp stamp(Path file) throws RegistryConfigException {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return new Stamp(attributes.lastModifiedTime().toMillis(), attributes.size(), attributes.fileKey());
        } catch (IOException e) {
            throw new RegistryConfigException(PROPERTY + ": cannot read the file (" + e.getClass().getSimpleName() + ")");
        }
    }

    private record Stamp(long modified, long size, Object fileKey) {
    }

    /** @param stamp the file's {@link Stamp} when read */
    private record Loaded(Object stamp, Map<String, RegistryAuth> auths, long generation) {
    }
}
