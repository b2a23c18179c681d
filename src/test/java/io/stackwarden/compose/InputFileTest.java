package io.stackwarden.compose;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The one file reader: each rule once per kind, on generated files (sparse files, FIFOs, symlinks). */
class InputFileTest {

    @TempDir
    Path root;
    @TempDir
    Path outside;

    private FileRefused refused(Path file, FileKind kind) throws Exception {
        PathGuard guard = new PathGuard(root);
        return assertThrows(FileRefused.class, () -> guard.read(file, kind));
    }

    private static void sparse(Path file, long size) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size);
        }
    }

    @ParameterizedTest
    @EnumSource(FileKind.class)
    void readsUpToTheCapOfItsKindAndNoMore(FileKind kind) throws Exception {
        Path file = root.resolve("at-cap");
        sparse(file, kind.maxBytes());
        assertEquals(kind.maxBytes(), new PathGuard(root).read(file, kind).length);
        sparse(file, kind.maxBytes() + 1);
        FileRefused e = refused(file, kind);
        assertEquals(FileRefused.Reason.TOO_LARGE, e.reason());
        assertEquals("at-cap: the " + kind.label() + " is larger than " + kind.maxShown(), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(FileKind.class)
    @Timeout(10) // a FIFO must be refused without being opened: an open would block until a writer comes
    void refusesWhatIsNotARegularFile(FileKind kind) throws Exception {
        Path fifo = root.resolve("fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertEquals(0, mkfifo.waitFor());
        assertEquals(FileRefused.Reason.NOT_REGULAR, refused(fifo, kind).reason());
        assertEquals(FileRefused.Reason.NOT_REGULAR, assertThrows(FileRefused.class,
                () -> InputFile.read(fifo, kind, "fifo")).reason());
        assertEquals(FileRefused.Reason.NOT_REGULAR, refused(Files.createDirectory(root.resolve("dir")), kind).reason());
        assertEquals(FileRefused.Reason.MISSING, refused(root.resolve("absent"), kind).reason());
    }

    @ParameterizedTest
    @EnumSource(FileKind.class)
    void refusesWhatLeadsOutOfTheRoot(FileKind kind) throws Exception {
        Path host = Files.writeString(outside.resolve("host"), "TOKEN=host");
        Files.createSymbolicLink(root.resolve("link"), host);
        Files.createSymbolicLink(root.resolve("zero"), Path.of("/dev/zero"));
        for (Path file : new Path[]{root.resolve("link"), root.resolve("zero"), root.resolve("../" + outside.getFileName() + "/host"), host}) {
            FileRefused e = refused(file, kind);
            assertEquals(FileRefused.Reason.OUTSIDE_ROOT, e.reason(), file.toString());
            assertEquals(-1, e.getMessage().indexOf(outside.toString()), e.getMessage());
        }
    }

    @Test
    void followsSymlinksInsideTheRootAndNamesFilesRelativeToIt() throws Exception {
        Path dir = Files.createDirectories(root.resolve("shop"));
        Files.writeString(dir.resolve("real.env"), "A=1\n");
        Files.createSymbolicLink(dir.resolve(".env"), Path.of("real.env"));
        PathGuard guard = new PathGuard(root);
        assertArrayEquals("A=1\n".getBytes(), guard.read(dir.resolve(".env"), FileKind.ENV));
        assertEquals("shop/.env", guard.show(dir.resolve(".env")));
        assertEquals("<outside>/host", guard.show(outside.resolve("host")));
    }
}
