package io.stackwarden.desired.source;

import io.stackwarden.desired.DesiredStack;
import io.stackwarden.desired.WorkspaceSettings;
import org.eclipse.jgit.lib.ObjectId;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Lock;

/**
 * A Git working copy as the source: fetch (without holding the lock), then hard-reset under it. Every
 * stack's revision is the commit the files were read at, {@code git:<40 hex>}; whether a stack's inputs
 * changed between two commits is decided by its own folder and {@code stackwarden.yaml}. A fetch that fails keeps
 * the last good checkout; before any good checkout in this process the local one is restored to its
 * own HEAD and used, so a restart without network still serves the last state.
 */
public final class GitOrigin implements Origin {

    static final String PREFIX = "git:";

    private final WorkingCopy workingCopy;
    private final GitSettings settings;
    private final String path;
    /** The commit the files are at; null while they cannot be trusted. Written only under the write lock. */
    private volatile ObjectId current;

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
    public boolean readable() {
        return current != null;
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
            ObjectId before = current;
            checkout(write, fetched);
            ChangedStacks changes = before == null ? ChangedStacks.everything()
                    : before.equals(fetched) ? ChangedStacks.none() : workingCopy.changes(before, fetched, path);
            return new Refreshed(PREFIX + fetched.name(), changes, Optional.empty());
        } catch (SourceException e) {
            // Unusable until a refresh succeeds; whatever comes next is read afresh: every stack gets a pass.
            write.lock();
            current = null;
            write.unlock();
            throw e;
        }
    }

    /**
     * Resets the files to {@code commit}. {@link #current} changes under the same lock as the files, so a
     * pass reads the commit its files are at, and never files a failed reset left half done.
     */
    private void checkout(Lock write, ObjectId commit) throws SourceException {
        write.lock();
        try {
            current = null;
            workingCopy.checkout(commit);
            current = commit;
        } finally {
            write.unlock();
        }
    }

    /** The fetch failed: go on with what is checked out, as long as it is intact. */
    private Refreshed keepLastGood(Lock write, SourceException fetchFailure) throws SourceException {
        Optional<ObjectId> head = workingCopy.head();
        if (head.isEmpty()) {
            throw new SourceException(fetchFailure.getMessage() + "; nothing checked out yet", fetchFailure);
        }
        ObjectId before = current;
        if (before != null && before.equals(head.get())) {
            return new Refreshed(PREFIX + before.name(), ChangedStacks.none(), Optional.of(fetchFailure.getMessage()));
        }
        // First refresh in this process (or HEAD moved by hand): restore the files to the local HEAD and use them.
        checkout(write, head.get());
        return new Refreshed(PREFIX + head.get().name(), ChangedStacks.everything(), Optional.of(fetchFailure.getMessage()));
    }

    @Override
    public String revision(DesiredStack stack) {
        ObjectId at = current;
        return at == null ? "" : PREFIX + at.name();
    }

    /** Compares the Git objects of the stack's folder and of {@code stackwarden.yaml} at both commits. */
    @Override
    public boolean changedSince(DesiredStack stack, String revision) throws IOException {
        ObjectId at = current;
        if (at == null || !revision.startsWith(PREFIX) || !ObjectId.isId(revision.substring(PREFIX.length()))) {
            return true;
        }
        ObjectId then = ObjectId.fromString(revision.substring(PREFIX.length()));
        if (then.equals(at)) {
            return false;
        }
        String prefix = path.isEmpty() ? "" : path + "/";
        return !workingCopy.sameObjects(then, at, List.of(prefix + stack.name(), prefix + WorkspaceSettings.FILE_NAME));
    }
}
