package io.stackwarden.reconcile;

import io.stackwarden.compose.engine.ImageReference;
import io.stackwarden.registry.RegistryAuth;
import io.stackwarden.registry.RegistryCredentials;
import io.stackwarden.swarm.EngineException;
import io.stackwarden.swarm.ImageDistribution;
import io.stackwarden.swarm.SwarmEngine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Pins image references to registry digests through the engine, as {@code docker stack deploy
 * --resolve-image} does, with the registry's credentials when there are any. Answers are cached per
 * reference for a while, so many services of one image cost one registry round trip; a registry that
 * cannot be reached leaves the reference unpinned, as the CLI does. A failed lookup is not reused once
 * other credentials were read.
 */
public final class ImageResolver {

    private static final Logger LOG = Logger.getLogger(ImageResolver.class.getName());

    /** How long a failed lookup is remembered. */
    static final Duration FAILURE_TTL = Duration.ofMinutes(1);

    private final SwarmEngine engine;
    private final RegistryCredentials credentials;
    private final Duration ttl;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public ImageResolver(SwarmEngine engine, RegistryCredentials credentials, Duration ttl, Clock clock) {
        this.engine = engine;
        this.credentials = credentials;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** The registry's answer for {@code reference}, or why there is none. */
    public ImageLookup resolve(String reference) {
        Instant now = clock.instant();
        long generation = credentials.generation();
        Cached cached = cache.get(reference);
        if (cached != null && cached.until().isAfter(now)
                && (cached.lookup() instanceof ImageLookup.Found || cached.generation() == generation)) {
            return cached.lookup();
        }
        Optional<RegistryAuth> auth = credentials.forImage(reference);
        ImageLookup lookup;
        try {
            ImageDistribution distribution = engine.distribution(reference, auth.map(RegistryAuth::header));
            lookup = distribution.digest().isEmpty() ? new ImageLookup.Unavailable() : new ImageLookup.Found(distribution);
        } catch (EngineException e) {
            lookup = failed(reference, auth, e);
        }
        // A registry that is down must not cost every pass a call up to its deadline.
        Duration keep = lookup instanceof ImageLookup.Found ? ttl : ttl.compareTo(FAILURE_TTL) < 0 ? ttl : FAILURE_TTL;
        cache.put(reference, new Cached(lookup, now.plus(keep), generation));
        return lookup;
    }

    private static ImageLookup failed(String reference, Optional<RegistryAuth> auth, EngineException e) {
        String registry = ImageReference.registry(reference).orElse("its registry");
        if (refusedCredentials(e)) {
            String why = auth.isEmpty()
                    ? "registry " + registry + " requires credentials and " + RegistryCredentials.PROPERTY + " has none for it"
                    : "registry " + registry + " refused the credentials " + RegistryCredentials.PROPERTY + " has for it";
            LOG.warning(() -> "image " + reference + ": " + why);
            return new ImageLookup.Refused(registry, why);
        }
        LOG.warning(() -> "image " + reference + " could not be accessed on a registry to record its digest;"
                + " it is used unpinned (" + e.getMessage() + ")");
        return new ImageLookup.Unavailable();
    }

    /** The engine's ways of saying that the registry wants (other) credentials. */
    static boolean refusedCredentials(EngineException e) {
        String message = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        return e.status() == 401 || e.status() == 403 || message.contains("no basic auth credentials")
                || message.contains("unauthorized") || message.contains("authentication required")
                || message.contains("access to the resource is denied");
    }

    /** A lookup now, whatever is cached (a watched tag, or a registry's push notification); the answer is cached. */
    public ImageLookup refresh(String reference) {
        cache.remove(reference);
        return resolve(reference);
    }

    /** {@code name:tag@digest}; a reference that already names a digest keeps it. */
    public static String pinned(String reference, String digest) {
        return reference.contains("@") ? reference : reference + "@" + digest;
    }

    private record Cached(ImageLookup lookup, Instant until, long generation) {
    }
}
