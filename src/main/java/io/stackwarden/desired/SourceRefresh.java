package io.stackwarden.desired;

import java.util.Optional;

/**
 * The desired-state source as a push webhook sees it: which branch it follows, and a way to ask it
 * to bring itself current. Requests return at once and coalesce; the source fetches, finds the
 * stacks whose files changed, and queues a pass for each of them.
 */
public interface SourceRefresh {

    /** The branch the source follows ({@code main}), empty for a plain folder. */
    Optional<String> branch();

    /** Asks for a refresh soon; {@code reason} is for the log (e.g. "github push abc123"). */
    void requestRefresh(String reason);
}
