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
     * Whether passes may read the files before the first refresh and after a failed one. A plain folder
     * is read as it is (the reader reports a missing one); a working copy only once it is checked out.
     */
    boolean readableWithoutRefresh();

    /** The revision a stack read now carries, given the source's current one. */
    String revision(DesiredStack stack, String current) throws IOException;

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
