package io.stackwarden.reconcile;

import io.stackwarden.swarm.ImageDistribution;

/** What a digest lookup of one image reference gave. */
public sealed interface ImageLookup {

    /** The registry answered: the reference is pinned to this digest. */
    record Found(ImageDistribution distribution) implements ImageLookup {
    }

    /** No answer (registry unreachable, unknown tag): the reference is used unpinned, as the CLI does. */
    record Unavailable() implements ImageLookup {
    }

    /**
     * The registry wants credentials it was not given, or refused the ones it was given: the nodes could not pull
     * the image either, so the service is not written.
     *
     * @param why the registry, and whether credentials were sent; never a credential
     */
    record Refused(String registry, String why) implements ImageLookup {
    }
}
