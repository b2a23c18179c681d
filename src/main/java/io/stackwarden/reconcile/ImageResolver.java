package io.stackwarden.reconcile;

import io.stackwarden.swarm.EngineException;
import io.stackwarden.swarm.ImageDistribution;
import io.stackwarden.swarm.SwarmEngine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Pins image references to registry digests through the engine, as {@code docker stack deploy
 * --resolve-image} does. Answers are cached per reference for a while, so many services of one
 * image cost one registry round trip; a registry that cannot be reached leaves the reference
 * unpinned, as the CLI does.
 */
public final class ImageResolver {

    private static final Logger LOG = Logger.getLogger(ImageResolver.class.getName());

    /** How long a failed lookup is remembered. */
    static final Duration FAILURE_TTL = Duration.ofMinutes(1);

    private final SwarmEngine engine;
    private final Duration ttl;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public ImageResolver(SwarmEngine engine, Duration ttl, Clock clock) {
        this.engine = engine;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** The registry's answer for {@code reference}, or empty when it cannot be had. */
    public Optional<ImageDistribution> resolve(String reference) {
        Instant now = clock.instant();
        Cached cached = cache.get(reference);
        if (cached != null && cached.until().isAfter(now)) {
            return cached.distribution();
        }
        try {
            ImageDistribution distribution = engine.distribution(reference);
            Optional<ImageDistribution> answer = distribution.digest().isEmpty() ? Optional.empty() : Optional.of(distribution);
            cache.put(reference, new Cached(answer, now.plus(answer.isPresent() ? ttl : FAILURE_TTL)));
            return answer;
        } catch (EngineException e) {
            LOG.warning(() -> "image " + reference + " could not be accessed on a registry to record its digest;"
                    + " it is used unpinned (" + e.getMessage() + ")");
            // A registry that is down must not cost every pass a call up to its deadline.
            cache.put(reference, new Cached(Optional.empty(), now.plus(ttl.compareTo(FAILURE_TTL) < 0 ? ttl : FAILURE_TTL)));
            return Optional.empty();
        }
    }

    /** {@code name:tag@digest}; a reference that already names a digest keeps it. */
    public static String pinned(String reference, String digest) {
        return reference.contains("@") ? reference : reference + "@" + digest;
    }

    private record Cached(Optional<ImageDistribution> distribution, Instant until) {
    }
}
