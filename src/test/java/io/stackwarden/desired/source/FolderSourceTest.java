package io.stackwarden.desired.source;

import io.stackwarden.desired.DesiredSource;
import io.stackwarden.support.Backoff;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A plain folder watched by polling: changed, added and removed stack folders are reported by name. */
class FolderSourceTest {

    private static final String COMPOSE = "services:\n  app:\n    image: app:1\n";

    @TempDir
    Path dir;

    private final List<ChangedStacks> heard = new ArrayList<>();
    private SourceSync sync;

    @AfterEach
    void close() {
        if (sync != null) {
            sync.close();
        }
    }

    private SourceSync sync(Path root) {
        sync = new SourceSync(new FolderOrigin(root), Duration.ofHours(1),
                new Backoff(Duration.ofMillis(10), Duration.ofMillis(20)), Clock.systemUTC());
        sync.listen(heard::add); // not started: the tests refresh by hand, on their own thread
        return sync;
    }

    private void write(String path, String content) throws Exception {
        Path file = dir.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private ChangedStacks poll() {
        heard.clear();
        assertTrue(sync.refresh(), () -> "poll failed: " + sync.status().error());
        return heard.isEmpty() ? ChangedStacks.none() : heard.get(0);
    }

    @Test
    void reportsChangedAddedAndRemovedStackFolders() throws Exception {
        write("shop/compose.yaml", COMPOSE);
        write("blog/compose.yaml", COMPOSE);
        sync(dir);
        assertEquals(ChangedStacks.everything(), poll());
        assertEquals(ChangedStacks.none(), poll());

        write("shop/config/app.conf", "x");
        assertEquals(ChangedStacks.of(Set.of("shop")), poll());
        write("wiki/compose.yaml", COMPOSE);
        assertEquals(ChangedStacks.of(Set.of("wiki")), poll());
        deleteTree(dir.resolve("blog"));
        assertEquals(ChangedStacks.of(Set.of("blog")), poll());
        write(".hidden/compose.yaml", COMPOSE);
        write("notes.txt", "beside the stacks");
        assertEquals(ChangedStacks.none(), poll());
        write("stackwarden.yaml", "allowEmpty: false\n");
        assertEquals(ChangedStacks.everything(), poll());
        assertTrue(sync.status().revision().startsWith("dir:"));
    }

    @Test
    void aMissingFolderIsAnErrorAndItsReturnConcernsEveryStack() throws Exception {
        Path root = dir.resolve("desired");
        sync(root);
        assertFalse(sync.refresh());
        assertTrue(sync.status().stale());
        assertTrue(sync.status().error().contains("does not exist"), sync.status().error());
        Files.createDirectories(root.resolve("shop"));
        Files.writeString(root.resolve("shop/compose.yaml"), COMPOSE);
        assertEquals(ChangedStacks.everything(), poll());
        assertFalse(sync.status().stale());
    }

    @Test
    void aFolderIsReadAsItIsAndEachStackCarriesItsContentHash() throws Exception {
        write("shop/compose.yaml", COMPOSE);
        sync(dir);
        try (DesiredSource.Snapshot snapshot = sync.open()) {
            String revision = snapshot.revision(new io.stackwarden.desired.DesiredStateReader().read(dir).stack("shop").orElseThrow());
            assertTrue(revision.startsWith("dir:"), revision);
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(30)
    void anUnreadableSettingsFileMakesTheSourceStaleUntilFixed() throws Exception {
        write("shop/compose.yaml", COMPOSE);
        Files.createSymbolicLink(dir.resolve("stackwarden.yaml"), Path.of("/dev/zero"));
        sync(dir);
        assertFalse(sync.refresh());
        assertTrue(sync.status().stale());
        assertTrue(sync.status().readable());
        assertEquals("stackwarden.yaml: the settings file leads outside the desired-state root", sync.status().error());
        Files.delete(dir.resolve("stackwarden.yaml"));
        write("stackwarden.yaml", "allowEmpty: [\n");
        assertFalse(sync.refresh());
        assertTrue(sync.status().error().startsWith("stackwarden.yaml:2: yaml: "), sync.status().error());
        write("stackwarden.yaml", "allowEmpty: false\n");
        assertEquals(ChangedStacks.everything(), poll());
        assertFalse(sync.status().stale());
    }

    @Test
    @org.junit.jupiter.api.Timeout(30)
    void theScanSurvivesAnErrorOfAnyKind() throws Exception {
        java.util.concurrent.CountDownLatch again = new java.util.concurrent.CountDownLatch(2);
        FolderOrigin folder = new FolderOrigin(dir);
        Origin failingOnce = new Origin() {
            @Override
            public String kind() {
                return folder.kind();
            }

            @Override
            public Path root() {
                return folder.root();
            }

            @Override
            public java.util.Optional<String> branch() {
                return folder.branch();
            }

            @Override
            public java.util.Optional<String> url() {
                return folder.url();
            }

            @Override
            public Refreshed refresh(java.util.concurrent.locks.Lock write) throws SourceException {
                again.countDown();
                if (again.getCount() == 1) {
                    throw new OutOfMemoryError("simulated");
                }
                return folder.refresh(write);
            }

            @Override
            public boolean readable() {
                return folder.readable();
            }

            @Override
            public String revision(io.stackwarden.desired.DesiredStack stack) throws java.io.IOException {
                return folder.revision(stack);
            }
        };
        sync = new SourceSync(failingOnce, Duration.ofHours(1), new Backoff(Duration.ofMillis(1), Duration.ofMillis(1)),
                Clock.systemUTC());
        sync.start(heard::add);
        assertTrue(again.await(20, java.util.concurrent.TimeUnit.SECONDS), "no refresh after the error");
    }

    private static void deleteTree(Path root) throws Exception {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
