package io.stackwarden.desired.source;

import java.time.Instant;

/**
 * Where the desired-state source stands.
 *
 * @param kind       {@code git} or {@code folder}
 * @param url        the remote without credentials (Git only)
 * @param branch     the followed branch (Git only)
 * @param revision   the revision the files are at ({@code git:<commit>} or {@code dir:<hash>}), null before the first read
 * @param lastFetch  the last successful refresh, null before it
 * @param stale      the files may be out of date or unusable: the last refresh failed
 * @param staleSince the first failed refresh of the current failure streak
 * @param error      why it is stale
 * @param readable   whether passes may read the files (a good checkout is in place)
 */
public record SourceStatus(String kind, String url, String branch, String revision, Instant lastFetch,
                           boolean stale, Instant staleSince, String error, boolean readable) {

    static SourceStatus initial(Origin origin, Instant now) {
        return new SourceStatus(origin.kind(), origin.url().orElse(null), origin.branch().orElse(null), null, null,
                true, now, "not read yet", origin.readable());
    }
}
