package io.stackwarden.desired.source;

import io.stackwarden.desired.DesiredStack;
import org.eclipse.jgit.lib.ObjectId;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.locks.Lock;

/**
 * A Git working copy as the source: fetch (without holding the lock), then hard-reset under it. Every
 * stack's revision is the commit the files were read at, {@code git:<40 hex>}. A fetch that fails keeps
 * the last good checkout; before any good checkout in this process the local one is restored to its
 * own HEAD and used, so a restart without network still serves the last state.
 */
public final class GitOrigin implements Origin {

    static final String PREFIX = "git:";

    private final WorkingCopy workingCopy;
    private final GitSettings settings;
    private final String path;
    private ObjectId current;

    /** @param path the folder of the repository holding the stacks, empty for its root */
    public GitOrigin(WorkingCopy workingCopy, GitSettings settings, String path) {
        this.workingCopy = workingCopy;
        this.settings = settings;
        this.path = path;
    }

    @Override
    public String kind() {
        return "git";
    }

    @Override
    public Path root() {
        return path.isEmpty() ? workingCopy.dir() : workingCopy.dir().resolve(path);
    }

    @Override
    public Optional<String> branch() {
        return Optional.of(settings.branch());
    }

    @Override
    public Optional<String> url() {
        return Optional.of(workingCopy.url());
    }

    @Override
    public boolean readableWithoutRefresh() {
        return false;
    }

    @Override
    public Refreshed refresh(Lock write) throws SourceException {
        try {
            write.lock();
            try {
                workingCopy.prepare();
            } finally {
                write.unlock();
            }
            ObjectId fetched;
            try {
                fetched = workingCopy.fetch();
            } catch (SourceException e) {
                return keepLastGood(write, e);
            }
            write.lock();
            try {
                workingCopy.checkout(fetched);
            } finally {
                write.unlock();
            }
            ChangedStacks changes = current == null ? ChangedStacks.everything()
                    : current.equals(fetched) ? ChangedStacks.none() : workingCopy.changes(current, fetched, path);
            current = fetched;
            return new Refreshed(PREFIX + fetched.name(), changes, Optional.empty());
        } catch (SourceException e) {
            current = null; // whatever comes next is read afresh: every stack gets a pass
            throw e;
        }
    }

    /** The fetch failed: go on with what is checked out, as long as it is intact. */
    private Refreshed keepLastGood(Lock write, SourceException fetchFailure) throws SourceException {
        Optional<ObjectId> head = workingCopy.head();
        if (head.isEmpty()) {
            throw new SourceException(fetchFailure.getMessage() + "; nothing checked out yet", fetchFailure);
        }
        if (current != null && current.equals(head.get())) {
            return new Refreshed(PREFIX + current.name(), ChangedStacks.none(), Optional.of(fetchFailure.getMessage()));
        }
        // First refresh in this process (or HEAD moved by hand): restore the files to the local HEAD and use them.
        write.lock();
        try {
            workingCopy.checkout(head.get());
        } finally {
            write.unlock();
        }
        current = head.get();
        return new Refreshed(PREFIX + current.name(), ChangedStacks.everything(), Optional.of(fetchFailure.getMessage()));
    }

    @Override
    public String revision(DesiredStack stack, String current) {
        return current;
    }
}
