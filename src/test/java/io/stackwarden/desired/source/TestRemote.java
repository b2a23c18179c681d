package io.stackwarden.desired.source;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.transport.RefSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A real Git "remote" (a bare repository) and an author's clone that commits and pushes to it over file://,
 * for the source's unit tests and the end-to-end GitOps test alike.
 */
public final class TestRemote implements AutoCloseable {

    private static final PersonIdent AUTHOR = new PersonIdent("Test Author", "author@example.org");

    public final Path bare;
    public final Path author;
    private final Git git;

    public TestRemote(Path dir) throws Exception {
        bare = dir.resolve("remote.git");
        author = dir.resolve("author");
        Git.init().setBare(true).setDirectory(bare.toFile()).setInitialBranch("main").call().close();
        git = Git.init().setDirectory(author.toFile()).setInitialBranch("main").call();
        git.remoteAdd().setName("origin").setUri(new org.eclipse.jgit.transport.URIish(url())).call();
    }

    /** The URL Stackwarden fetches from. */
    public String url() {
        return bare.toUri().toString();
    }

    public TestRemote write(String path, String content) throws Exception {
        Path file = author.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return this;
    }

    public TestRemote delete(String path) throws Exception {
        try (Stream<Path> files = Files.walk(author.resolve(path))) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        }
        return this;
    }

    /** Commits everything in the author's folder (deletions included) and pushes it to {@code branch}. */
    public ObjectId push(String branch) throws Exception {
        git.add().addFilepattern(".").call();
        git.add().addFilepattern(".").setUpdate(true).call();
        ObjectId commit = git.commit().setMessage("change").setAuthor(AUTHOR).setCommitter(AUTHOR).setAllowEmpty(true).call();
        git.push().setRemote("origin").setForce(true).setRefSpecs(new RefSpec("HEAD:refs/heads/" + branch)).call();
        return commit;
    }

    public ObjectId push() throws Exception {
        return push("main");
    }

    /** Rewinds the author's branch to {@code commit} (history after it is dropped by the next push). */
    public void rewind(ObjectId commit) throws Exception {
        git.reset().setMode(ResetCommand.ResetType.HARD).setRef(commit.name()).call();
    }

    /** The remote stops answering: its repository is moved away. */
    public void breakRemote() throws Exception {
        Files.move(bare, bare.resolveSibling("remote.git.away"));
    }

    public void repairRemote() throws Exception {
        Files.move(bare.resolveSibling("remote.git.away"), bare);
    }

    @Override
    public void close() {
        git.close();
    }
}
