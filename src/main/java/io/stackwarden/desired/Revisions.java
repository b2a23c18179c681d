package io.stackwarden.desired;

import io.stackwarden.compose.FileKind;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The revision of a stack folder that is not (yet) tied to a Git commit: a short hash of every file
 * name and content in it, so "changed" means the files changed, whatever their timestamps say. The
 * folder scan hashes every few seconds, so it never follows a symlink (its target text is hashed, as Git
 * stores it), never opens a FIFO or device, and takes a file larger than any Stackwarden reads by size and
 * modification time: hostile files cost it nothing.
 */
public final class Revisions {

    /** Above this a file is refused when read anyway; its content is not worth hashing. */
    private static final long MAX_HASHED = Arrays.stream(FileKind.values()).mapToLong(FileKind::maxBytes).max().orElseThrow();

    private Revisions() {
    }

    public static String ofFolder(Path dir) throws IOException {
        MessageDigest digest = sha256();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(path -> !Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
        }
        for (Path file : files) {
            digest.update(dir.relativize(file).toString().getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            content(digest, file);
            digest.update((byte) 0);
        }
        return "dir:" + HexFormat.of().formatHex(digest.digest(), 0, 6);
    }

    /** Full hex hash of one file's content as {@link #ofFolder} takes it; empty for a missing file. */
    public static String ofFile(Path file) throws IOException {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return "";
        }
        MessageDigest digest = sha256();
        content(digest, file);
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void content(MessageDigest digest, Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (attributes.isSymbolicLink()) {
            digest.update(("link:" + Files.readSymbolicLink(file)).getBytes(StandardCharsets.UTF_8));
        } else if (!attributes.isRegularFile()) {
            digest.update("other".getBytes(StandardCharsets.UTF_8));
        } else if (attributes.size() > MAX_HASHED) {
            digest.update(("large:" + attributes.size() + ":" + attributes.lastModifiedTime().toMillis())
                    .getBytes(StandardCharsets.UTF_8));
        } else {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    digest.update(buffer, 0, n);
                }
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
