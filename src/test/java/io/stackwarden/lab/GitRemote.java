package io.stackwarden.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Git remote for tests: a bare repository served over the local {@code file://} protocol, and
 * an author's clone that commits and pushes to it with the git CLI, as a user would.
 */
public final class GitRemote {

    private final Path bare;
    private final Path author;

    private GitRemote(Path bare, Path author) {
        this.bare = bare;
        this.author = author;
    }

    /** An empty bare repository on branch {@code main} in {@code dir}, and a clone of it to author commits in. */
    public static GitRemote create(Path dir) throws IOException {
        Path bare = dir.resolve("remote.git");
        Path author = dir.resolve("author");
        git(dir, "init", "-q", "--bare", "-b", "main", bare.toString());
        git(dir, "clone", "-q", bare.toUri().toString(), author.toString());
        git(author, "checkout", "-q", "-b", "main");
        git(author, "config", "user.email", "author@example.test");
        git(author, "config", "user.name", "Test Author");
        return new GitRemote(bare, author);
    }

    /** The URL Stackwarden fetches from. */
    public String url() {
        return bare.toUri().toString();
    }

    public GitRemote write(String path, String content) throws IOException {
        Path file = author.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return this;
    }

    public GitRemote delete(String path) {
        git(author, "rm", "-q", "-r", path);
        return this;
    }

    /** Commits everything and returns the commit ID. */
    public String commit(String message) {
        git(author, "add", "-A");
        git(author, "commit", "-q", "-m", message);
        return head();
    }

    public String head() {
        return git(author, "rev-parse", "HEAD").trim();
    }

    public void push() {
        git(author, "push", "-q", "origin", "main");
    }

    /** Rewrites history: the author's branch goes back to {@code commit} (commits after it are dropped). */
    public void resetTo(String commit) {
        git(author, "reset", "-q", "--hard", commit);
    }

    public void forcePush() {
        git(author, "push", "-q", "--force", "origin", "main");
    }

    /** The remote stops answering: its repository is moved away. */
    public void breakRemote() throws IOException {
        Files.move(bare, bare.resolveSibling("remote.git.away"));
    }

    public void repairRemote() throws IOException {
        Files.move(bare.resolveSibling("remote.git.away"), bare);
    }

    private static String git(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        return Lab.run(command);
    }
}
