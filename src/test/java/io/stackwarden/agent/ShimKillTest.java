package io.stackwarden.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The helper's search of a process table (a folder laid out like /proc) for one container's shim. */
class ShimKillTest {

    private static final String ID = "0123456789abcdef".repeat(4);
    private static final String OTHER = "fedcba9876543210".repeat(4);

    @TempDir
    Path proc;
    private final List<Long> killed = new ArrayList<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private void process(long pid, String... args) throws IOException {
        Path dir = Files.createDirectories(proc.resolve(Long.toString(pid)));
        Files.write(dir.resolve("cmdline"), (String.join("\0", args) + "\0").getBytes(StandardCharsets.UTF_8));
    }

    private int run(String... args) {
        return ShimKill.run(args, proc, new PrintStream(out, true, StandardCharsets.UTF_8), pid -> killed.add(pid));
    }

    private void shims() throws IOException {
        process(1, "/sbin/init");
        process(100, "/usr/bin/containerd-shim-runc-v2", "-namespace", "moby", "-id", OTHER, "-address", "/run/a.sock");
        process(200, "/usr/bin/containerd-shim-runc-v2", "-namespace", "moby", "-id", ID, "-address", "/run/b.sock");
        process(300, "sleep", "-id", ID); // not a shim, though it names the ID
        Files.createDirectories(proc.resolve("self"));
        Files.createDirectories(proc.resolve("400")); // ended while listed: no cmdline
    }

    @Test
    void killsOnlyTheShimWhoseIdIsTheContainersFullId() throws IOException {
        shims();
        assertEquals(ShimKill.KILLED, run(ID));
        assertEquals(List.of(200L), killed);
        assertEquals("killed 200", out.toString(StandardCharsets.UTF_8).strip());
    }

    @Test
    void noShimOfThatContainerIsItsOwnExitCode() throws IOException {
        shims();
        assertEquals(ShimKill.NO_SHIM, run("9".repeat(64)));
        assertTrue(killed.isEmpty());
    }

    @Test
    void aPrefixOrAnythingButAFullIdIsRefused() throws IOException {
        shims();
        assertEquals(1, run(ID.substring(0, 12)));
        assertEquals(1, run());
        assertEquals(1, run(ID, ID));
        assertTrue(killed.isEmpty());
    }

    @Test
    void twoShimsOfOneIdAreNotGuessedBetween() throws IOException {
        shims();
        process(201, "containerd-shim-runc-v2", "-id", ID);
        assertEquals(1, run(ID));
        assertTrue(killed.isEmpty());
    }

    @Test
    void aShimThatSurvivesIsAFailure() throws IOException {
        shims();
        int code = ShimKill.run(new String[] {ID}, proc, new PrintStream(out, true, StandardCharsets.UTF_8), pid -> false);
        assertEquals(1, code);
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("pid 200 did not end"));
    }

    @Test
    void commandLinesAreMatchedByArgumentNotBySubstring() {
        assertTrue(ShimKill.isShimOf(List.of("containerd-shim-runc-v2", "-id", ID), ID));
        assertFalse(ShimKill.isShimOf(List.of("containerd-shim-runc-v2", "-id", ID + "0"), ID));
        assertFalse(ShimKill.isShimOf(List.of("containerd-shim-runc-v2", "-namespace", ID), ID));
        assertFalse(ShimKill.isShimOf(List.of("/x/containerd-shim-runc-v2-evil", "-id", ID), ID));
        assertFalse(ShimKill.isShimOf(List.of("containerd-shim-runc-v2", "-id"), ID));
        assertFalse(ShimKill.isShimOf(List.of(), ID));
    }
}
