package io.stackwarden.desired.source;

import io.stackwarden.compose.InputFile;
import io.stackwarden.desired.WorkspaceSettings;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.api.TransportConfigCallback;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.errors.RepositoryNotFoundException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevTree;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.AndTreeFilter;
import org.eclipse.jgit.treewalk.filter.PathFilter;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A Git working copy that Stackwarden owns: fetched from {@code origin} and hard-reset to the
 * followed branch (force-pushes included), untracked and ignored files removed, so the folder
 * always equals one commit. Anything that makes that impossible is a {@link SourceException}
 * naming the cause; nothing here ever turns a problem into an empty folder.
 */
public final class WorkingCopy {

    private static final String ORIGIN = "origin";
    private static final Logger LOG = Logger.getLogger(WorkingCopy.class.getName());
    private static final Pattern HTTP_USER = Pattern.compile("(?i)\\b((?:https?|ftps?)://)[^/\\s@]+@");

    private final Path dir;
    private final GitSettings settings;
    private SshdSessionFactory ssh;
    private boolean staleLocksRemoved;

    public WorkingCopy(Path dir, GitSettings settings) {
        this.dir = dir.toAbsolutePath().normalize();
        this.settings = settings;
    }

    public Path dir() {
        return dir;
    }

    /** Whether {@code dir} is a working copy with an {@code origin} remote (a Git source without a configured URL). */
    public static boolean hasOrigin(Path dir) {
        if (!Files.isDirectory(dir.resolve(Constants.DOT_GIT))) {
            return false;
        }
        try (Git git = Git.open(dir.toFile())) {
            return git.getRepository().getConfig().getString("remote", ORIGIN, "url") != null;
        } catch (IOException e) {
            return false;
        }
    }

    /** The origin URL without credentials, for status and logs. */
    public String url() {
        return settings.url().map(GitSettings::redact).orElseGet(() -> {
            try (Git git = Git.open(dir.toFile())) {
                return Optional.ofNullable(git.getRepository().getConfig().getString("remote", ORIGIN, "url"))
                        .map(GitSettings::redact).orElse("");
            } catch (IOException e) {
                return "";
            }
        });
    }

    /**
     * Makes sure {@code dir} is a working copy of the configured remote: an absent or empty folder is
     * initialised with {@code origin} (its first fetch fills it); an existing one must have that origin.
     */
    public void prepare() throws SourceException {
        try {
            if (!Files.exists(dir) || isEmptyDirectory(dir)) {
                String url = settings.url().orElseThrow(() -> new SourceException(
                        "desired-state directory " + dir + " is empty and no Git URL is configured"));
                Files.createDirectories(dir);
                try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch(settings.branch()).call()) {
                    StoredConfig config = git.getRepository().getConfig();
                    config.setString("remote", ORIGIN, "url", url);
                    config.setString("remote", ORIGIN, "fetch", "+refs/heads/*:refs/remotes/origin/*");
                    config.save();
                }
                return;
            }
            if (!Files.isDirectory(dir.resolve(Constants.DOT_GIT))) {
                throw new SourceException("desired-state directory " + dir + " is not empty and not a Git working copy;"
                        + " empty it (or point stackwarden.desired-dir elsewhere) so the repository can be cloned into it");
            }
            if (!staleLocksRemoved) {
                removeStaleLocks();
                staleLocksRemoved = true;
            }
            try (Git git = open()) {
                String origin = git.getRepository().getConfig().getString("remote", ORIGIN, "url");
                if (origin == null) {
                    throw new SourceException("Git working copy " + dir + " has no origin remote");
                }
                if (settings.url().isPresent() && !sameRemote(origin, settings.url().get())) {
                    throw new SourceException("Git working copy " + dir + " has origin " + GitSettings.redact(origin)
                            + ", not the configured " + GitSettings.redact(settings.url().get()));
                }
            }
        } catch (IOException | GitAPIException e) {
            throw new SourceException("cannot prepare Git working copy " + dir + ": " + message(e), e);
        }
    }

    /**
     * Lock files in {@code .git} left by a process that died while writing (the index, HEAD, a branch):
     * Git refuses to write past them. Stackwarden owns the working copy and writes to it only from one
     * thread, so at its first use in this process any lock file there is stale.
     */
    private void removeStaleLocks() throws IOException {
        Path git = dir.resolve(Constants.DOT_GIT);
        List<Path> locks;
        try (Stream<Path> files = Files.walk(git)) {
            locks = files.filter(file -> !file.startsWith(git.resolve("objects")))
                    .filter(file -> file.getFileName().toString().endsWith(".lock") && Files.isRegularFile(file))
                    .toList();
        }
        for (Path lock : locks) {
            LOG.warning(() -> "removing " + lock + ", left by a process that stopped while writing the working copy");
            Files.deleteIfExists(lock);
        }
    }

    /** Fetches the followed branch from origin; returns its commit. The working tree is not touched. */
    public ObjectId fetch() throws SourceException {
        String branch = settings.branch();
        String tracking = Constants.R_REMOTES + ORIGIN + "/" + branch;
        try (Git git = open()) {
            git.fetch().setRemote(ORIGIN)
                    .setRefSpecs(new RefSpec("+" + Constants.R_HEADS + branch + ":" + tracking))
                    .setTagOpt(TagOpt.NO_TAGS)
                    .setTimeout((int) Math.max(1, settings.timeout().toSeconds()))
                    .setCredentialsProvider(credentials().orElse(null))
                    .setTransportConfigCallback(sshTransport())
                    .call();
            Ref ref = git.getRepository().exactRef(tracking);
            if (ref == null || ref.getObjectId() == null) {
                throw new SourceException("branch " + branch + " not found on " + url());
            }
            return ref.getObjectId();
        } catch (GitAPIException | IOException | RuntimeException e) {
            throw new SourceException("fetch of branch " + branch + " from " + url() + " failed: " + message(e), e);
        }
    }

    /**
     * Makes the folder equal to {@code commit}: the followed branch points at it, index and files are
     * reset, and every untracked file is removed. Files the repository ignores are kept: a hand-placed,
     * git-ignored {@code .env} with secrets is a common way to give a checkout what must not be in Git.
     */
    public void checkout(ObjectId commit) throws SourceException {
        try (Git git = open()) {
            Repository repository = git.getRepository();
            RefUpdate head = repository.updateRef(Constants.HEAD);
            head.disableRefLog();
            head.link(Constants.R_HEADS + settings.branch());
            git.reset().setMode(ResetCommand.ResetType.HARD).setRef(commit.name()).call();
            git.clean().setCleanDirectories(true).setForce(true).call();
        } catch (GitAPIException | IOException | RuntimeException e) {
            throw new SourceException("reset of Git working copy " + dir + " to " + commit.name() + " failed: " + message(e), e);
        }
    }

    /** The commit checked out now; empty when there is none yet. A repository that cannot say is broken. */
    public Optional<ObjectId> head() throws SourceException {
        try (Git git = open()) {
            return Optional.ofNullable(git.getRepository().resolve(Constants.HEAD + "^{commit}"));
        } catch (IOException | RuntimeException e) {
            throw new SourceException("Git working copy " + dir + " is broken (cannot read HEAD): " + message(e), e);
        }
    }

    /**
     * The stacks whose files differ between two commits, looking only below {@code path} (the folder of
     * the repository holding the stacks, empty for its root). A change of {@code stackwarden.yaml} there
     * concerns every stack; other files beside the stack folders, and hidden folders, concern none.
     */
    public ChangedStacks changes(ObjectId from, ObjectId to, String path) throws SourceException {
        String prefix = path.isEmpty() ? "" : path + "/";
        Set<String> stacks = new HashSet<>();
        try (Git git = open(); RevWalk commits = new RevWalk(git.getRepository());
             TreeWalk walk = new TreeWalk(git.getRepository())) {
            walk.addTree(commits.parseCommit(from).getTree());
            walk.addTree(commits.parseCommit(to).getTree());
            walk.setRecursive(true);
            walk.setFilter(path.isEmpty() ? TreeFilter.ANY_DIFF
                    : AndTreeFilter.create(PathFilter.create(path), TreeFilter.ANY_DIFF));
            while (walk.next()) {
                String file = walk.getPathString();
                if (!file.startsWith(prefix)) {
                    continue;
                }
                String relative = file.substring(prefix.length());
                int slash = relative.indexOf('/');
                if (slash < 0) {
                    if (relative.equals(WorkspaceSettings.FILE_NAME)) {
                        return ChangedStacks.everything();
                    }
                } else if (!relative.startsWith(".")) {
                    stacks.add(relative.substring(0, slash));
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new SourceException("cannot compare commits " + from.name() + " and " + to.name() + ": " + message(e), e);
        }
        return ChangedStacks.of(stacks);
    }

    /**
     * Whether each of {@code paths} (a folder or a file of the repository) is the same Git object at both
     * commits, absent at both counting as the same. A commit that is not in the repository (gone with a
     * force-push) makes them differ.
     */
    public boolean sameObjects(ObjectId from, ObjectId to, List<String> paths) throws IOException {
        try (Git git = open(); RevWalk commits = new RevWalk(git.getRepository())) {
            RevTree before = commits.parseCommit(from).getTree();
            RevTree after = commits.parseCommit(to).getTree();
            for (String path : paths) {
                if (!Objects.equals(objectAt(git.getRepository(), path, before), objectAt(git.getRepository(), path, after))) {
                    return false;
                }
            }
            return true;
        } catch (MissingObjectException | IncorrectObjectTypeException e) {
            return false;
        }
    }

    private static ObjectId objectAt(Repository repository, String path, RevTree tree) throws IOException {
        try (TreeWalk walk = TreeWalk.forPath(repository, path, tree)) {
            return walk == null ? null : walk.getObjectId(0);
        }
    }

    private Git open() throws IOException {
        try {
            return Git.open(dir.toFile());
        } catch (RepositoryNotFoundException e) {
            throw new IOException("no readable Git repository in " + dir.resolve(Constants.DOT_GIT) + " (missing or broken)", e);
        }
    }

    /** HTTPS: the token from its file, read now so a rotated token is used at the next fetch. */
    private Optional<CredentialsProvider> credentials() throws IOException {
        if (settings.tokenFile().isEmpty()) {
            return Optional.empty();
        }
        String token = InputFile.credential(settings.tokenFile().get(), "stackwarden.source.git.token-file");
        return Optional.of(new UsernamePasswordCredentialsProvider(settings.username(), token));
    }

    /** SSH: only the configured key, only the configured known hosts, no ~/.ssh/config, no questions. */
    private TransportConfigCallback sshTransport() {
        return transport -> {
            if (transport instanceof SshTransport sshTransport && settings.sshKeyFile().isPresent()) {
                sshTransport.setSshSessionFactory(sshFactory());
            }
        };
    }

    private synchronized SshdSessionFactory sshFactory() {
        if (ssh == null) {
            Path key = settings.sshKeyFile().orElseThrow().toAbsolutePath();
            List<Path> knownHosts = settings.knownHostsFile().map(Path::toAbsolutePath).map(List::of).orElse(List.of());
            ssh = new SshdSessionFactoryBuilder()
                    .setHomeDirectory(new File(System.getProperty("user.home")))
                    .setSshDirectory(key.getParent().toFile())
                    .setConfigFile(sshDir -> null)
                    .setDefaultIdentities(sshDir -> List.of(key))
                    .setDefaultKnownHostsFiles(sshDir -> knownHosts)
                    .setPreferredAuthentications("publickey")
                    .build(null);
        }
        return ssh;
    }

    /** The same remote, however written ({@code file:///r.git/} and {@code file:///r.git} alike). */
    private static boolean sameRemote(String a, String b) {
        try {
            return new URIish(trimSlashes(a)).equals(new URIish(trimSlashes(b)));
        } catch (URISyntaxException e) {
            return trimSlashes(a).equals(trimSlashes(b));
        }
    }

    private static String trimSlashes(String url) {
        return url.replaceAll("/+$", "");
    }

    private static boolean isEmptyDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    /** The innermost useful message of a JGit failure (they often wrap the real cause). */
    private static String message(Throwable e) {
        StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            if (cause.getMessage() != null && !text.toString().contains(cause.getMessage())) {
                text.append(": ").append(cause.getMessage());
            }
        }
        return withoutCredentials(text.toString());
    }

    /**
     * JGit names the remote in its messages with its user, and over HTTPS the user may be a token
     * ({@code https://<token>@host/...}): the user part of every such URL is dropped.
     */
    static String withoutCredentials(String text) {
        return HTTP_USER.matcher(text).replaceAll("$1");
    }
}
