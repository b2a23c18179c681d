package io.stackwarden.desired.source;

import io.stackwarden.desired.DesiredStack;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.locks.Lock;

/** Where the desired state comes from: a Git remote or a plain folder. Called by one {@link SourceSync} at a time. */
public interface Origin {

    /** {@code git} or {@code folder}. */
    String kind();

    /** The directory holding the stack folders. */
    Path root();

    /** The followed branch; empty for a folder. */
    Optional<String> branch();

    /** The remote without credentials; empty for a folder. */
    Optional<String> url();

    /**
     * Brings the files current, changing them only while holding {@code write}. A failed fetch that
     * leaves a good checkout in place is not an exception: it is {@link Refreshed#problem()}.
     *
     * @throws SourceException when there are no trustworthy files (nothing checked out, broken working copy, missing folder)
     */
    Refreshed refresh(Lock write) throws SourceException;

    /**
     * Whether passes may read the files now. A plain folder is read as it is (the reader reports a
     * missing one); a working copy only while a good checkout is in place. Asked under the read lock,
     * so it always describes the files a pass is about to read.
     */
    boolean readable();

    /** The revision a stack read now carries; asked under the read lock, like {@link #readable()}. */
    String revision(DesiredStack stack) throws IOException;

    /**
     * Whether the stack's own inputs (its folder and {@code stackwarden.yaml}) differ now from what they
     * were at {@code revision}, a revision the stack carried before. Unknown revisions count as changed.
     */
    default boolean changedSince(DesiredStack stack, String revision) throws IOException {
        return !revision(stack).equals(revision);
    }

    /**
     * The outcome of a refresh.
     *
     * @param revision the source's revision now ({@code git:<commit>}, or {@code dir:<hash>} of every folder)
     * @param changes  the stacks whose files changed since the previous refresh
     * @param problem  why the files may be out of date (a failed fetch), if they may
     */
    record Refreshed(String revision, ChangedStacks changes, Optional<String> problem) {
    }
}
