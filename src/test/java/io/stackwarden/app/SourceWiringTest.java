package io.stackwarden.app;

import io.stackwarden.config.ConfigValidatorTest;
import io.stackwarden.config.StackwardenConfig;
import io.stackwarden.desired.source.FolderOrigin;
import io.stackwarden.desired.source.GitOrigin;
import io.stackwarden.desired.source.Origin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** Which source the configuration makes, and how often it looks for changes by itself. */
class SourceWiringTest {

    @TempDir
    Path dir;

    @Test
    void aPlainFolderIsScannedEverySecondsAGitSourceFetchedOnThePollInterval() {
        StackwardenConfig folder = ConfigValidatorTest.configOf(Map.of("stackwarden.desired-dir", dir.toString()));
        Origin scanned = SourceWiring.origin(folder);
        assertInstanceOf(FolderOrigin.class, scanned);
        assertEquals(Duration.ofSeconds(5), SourceWiring.interval(folder.source(), scanned));

        StackwardenConfig git = ConfigValidatorTest.configOf(Map.of("stackwarden.desired-dir", dir.toString(),
                "stackwarden.source.git.url", "https://git.example.org/ops/stacks.git",
                "stackwarden.source.scan-interval", "2s"));
        Origin fetched = SourceWiring.origin(git);
        assertInstanceOf(GitOrigin.class, fetched);
        assertEquals(Duration.ofMinutes(1), SourceWiring.interval(git.source(), fetched));
        assertEquals(Duration.ofSeconds(2), git.source().scanInterval());
    }
}
