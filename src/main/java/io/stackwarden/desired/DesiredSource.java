package io.stackwarden.desired;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Where reconcile passes read the desired state, and at which revision. A pass holds a
 * {@link Snapshot} while it reads and compiles the files, so the source never changes them
 * underneath (a Git reset waits until the snapshots are closed).
 */
public interface DesiredSource {

    /** The directory holding the stack folders. */
    Path root();

    /** Holds the files still until closed; fails when they cannot be trusted now (never "no stacks"). */
    Snapshot open() throws DesiredStateException;

    /** The files as they are while it is open. */
    interface Snapshot extends AutoCloseable {

        /** The revision a stack's objects are labelled with: the commit for Git, a content hash for a folder. */
        String revision(DesiredStack stack) throws IOException;

        /**
         * Whether the stack's own inputs differ now from those at {@code revision} (a revision it carried
         * before). For Git a commit that touches neither its folder nor {@code stackwarden.yaml} changes
         * the revision but not the inputs; an unknown revision counts as changed.
         */
        default boolean changedSince(DesiredStack stack, String revision) throws IOException {
            return !revision(stack).equals(revision);
        }

        @Override
        void close();
    }

    /** A plain folder read as it is: no lock, revisions are content hashes. */
    static DesiredSource folder(Path root) {
        return new DesiredSource() {
            @Override
            public Path root() {
                return root;
            }

            @Override
            public Snapshot open() {
                return new Snapshot() {
                    @Override
                    public String revision(DesiredStack stack) throws IOException {
                        return Revisions.ofFolder(stack.dir());
                    }

                    @Override
                    public void close() {
                    }
                };
            }
        };
    }
}
