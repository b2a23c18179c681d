package io.stackwarden.compose;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Keeps every file a stack references (configs, secrets, env files, the compose files, {@code .env},
 * {@code stackwarden.yaml}) inside the desired-state root: a Git checkout must not be able to read the
 * operator's own files through {@code ..}, an absolute path, or a symlink that points out of the tree.
 * Messages name files relative to the root, never by their host path.
 */
public final class PathGuard {

    private final Path root;
    private final Path realRoot;

    public PathGuard(Path root) throws ComposeException {
        this.root = root.toAbsolutePath().normalize();
        try {
            this.realRoot = Files.exists(this.root) ? this.root.toRealPath() : this.root;
        } catch (IOException e) {
            throw new ComposeException((String) null, 0, "the desired-state root is not readable ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /**
     * Reads a file of the desired state: inside the root after following symlinks, then as
     * {@link InputFile#read} does. {@code file} is absolute or relative to the root.
     */
    public byte[] read(Path file, FileKind kind) throws FileRefused {
        Path p = root.resolve(file).normalize();
        String shown = show(p);
        if (!p.startsWith(root) || !realOfExistingPart(p).startsWith(realRoot)) {
            throw new FileRefused(FileRefused.Reason.OUTSIDE_ROOT, shown, "the " + kind.label()
                    + " leads outside the desired-state root");
        }
        return InputFile.read(p, kind, shown);
    }

    /** {@code file} as messages show it: relative to the root, or only its name when it is outside. */
    public String show(Path file) {
        Path p = root.resolve(file).normalize();
        if (p.startsWith(root)) {
            String relative = root.relativize(p).toString();
            return relative.isEmpty() ? "." : relative;
        }
        return p.getFileName() == null ? "/" : "<outside>/" + p.getFileName();
    }

    /**
     * Resolves {@code raw} (absolute, or relative to {@code baseDir}) and checks it stays inside the root,
     * also after following symlinks of its existing part. Returns the lexical absolute path, as the CLI
     * writes it into the model.
     */
    Path resolve(String raw, Path baseDir, String what, SourceMap lines, java.util.List<String> at)
            throws ComposeException {
        Path p;
        try {
            if (raw.matches("^[a-zA-Z]:[\\\\/].*") || raw.startsWith("\\\\")) {
                throw lines.error(at, what + " \"" + raw + "\" is outside the desired-state root");
            }
            Path given = Path.of(raw);
            p = (given.isAbsolute() ? given : baseDir.resolve(given)).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw lines.error(at, what + " \"" + raw + "\" is not a valid path");
        }
        if (!p.startsWith(root)) {
            throw lines.error(at, what + " \"" + raw + "\" resolves outside the desired-state root");
        }
        Path real = realOfExistingPart(p);
        if (!real.startsWith(realRoot)) {
            throw lines.error(at, what + " \"" + raw + "\" follows a symlink out of the desired-state root");
        }
        return p;
    }

    private static Path realOfExistingPart(Path p) {
        Path existing = p;
        Path rest = null;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            Path name = existing.getFileName();
            rest = rest == null ? name : name.resolve(rest);
            existing = existing.getParent();
        }
        if (existing == null) {
            return p;
        }
        try {
            Path real = existing.toRealPath();
            return rest == null ? real : real.resolve(rest).normalize();
        } catch (IOException e) {
            // A dangling symlink: judge by where it points.
            try {
                Path target = Files.readSymbolicLink(existing);
                Path abs = existing.getParent() == null ? target : existing.getParent().resolve(target).normalize();
                return rest == null ? abs : abs.resolve(rest).normalize();
            } catch (IOException | UnsupportedOperationException ex) {
                return p;
            }
        }
    }
}
