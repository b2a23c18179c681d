package io.stackwarden.compose;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;

/**
 * The one way Stackwarden reads a file: only a regular file (a FIFO would block the open, a device never
 * ends), only up to its kind's cap, and in chunks against a deadline so a slow file system cannot hold a
 * thread. Files of the desired state go through {@link PathGuard#read}, which checks the root first.
 */
public final class InputFile {

    /** Longest a single file may take to read. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(10);
    private static final int CHUNK = 64 * 1024;

    private InputFile() {
    }

    /**
     * A token or secret from a credential file named by {@code property} (a Docker secret in production): the
     * text without surrounding whitespace. Errors name the property, never the content.
     */
    public static String credential(Path file, String property) throws FileRefused {
        return new String(read(file, FileKind.CREDENTIAL, property), java.nio.charset.StandardCharsets.UTF_8).strip();
    }

    /**
     * Reads {@code file} (symlinks followed) whole. {@code shown} names it in errors, so callers decide
     * whether a host path may appear.
     */
    public static byte[] read(Path file, FileKind kind, String shown) throws FileRefused {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new FileRefused(FileRefused.Reason.MISSING, shown, "no such " + kind.label());
        } catch (IOException e) {
            throw new FileRefused(FileRefused.Reason.UNREADABLE, shown, "cannot read " + kind.label() + " ("
                    + e.getClass().getSimpleName() + ")");
        }
        if (!attributes.isRegularFile()) {
            throw new FileRefused(FileRefused.Reason.NOT_REGULAR, shown, "the " + kind.label() + " is "
                    + describe(attributes) + ", not a regular file");
        }
        if (attributes.size() > kind.maxBytes()) {
            throw tooLarge(kind, shown);
        }
        long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
        // Checked above without opening; a file swapped for a FIFO in between would block here until a writer comes.
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(attributes.size(), kind.maxBytes()));
            ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
            for (int n; (n = channel.read(buffer.clear())) >= 0; ) {
                if (out.size() + (long) n > kind.maxBytes()) {
                    throw tooLarge(kind, shown); // grew while read
                }
                out.write(buffer.array(), 0, n);
                if (System.nanoTime() - deadline > 0) {
                    throw new FileRefused(FileRefused.Reason.TOO_SLOW, shown, "reading the " + kind.label()
                            + " took longer than " + READ_TIMEOUT.toSeconds() + " s");
                }
            }
            return out.toByteArray();
        } catch (FileRefused e) {
            throw e;
        } catch (IOException e) {
            throw new FileRefused(FileRefused.Reason.UNREADABLE, shown, "cannot read " + kind.label() + " ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private static FileRefused tooLarge(FileKind kind, String shown) {
        return new FileRefused(FileRefused.Reason.TOO_LARGE, shown, "the " + kind.label() + " is larger than "
                + kind.maxShown());
    }

    private static String describe(BasicFileAttributes attributes) {
        if (attributes.isDirectory()) {
            return "a directory";
        }
        // BasicFileAttributes cannot tell a FIFO from a device or socket: all are "other".
        return attributes.isOther() ? "a FIFO, device or socket" : "not a file";
    }
}
