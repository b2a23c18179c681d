package io.stackwarden.loop;

import io.stackwarden.cli.Render;
import io.stackwarden.compose.StackCompiler;
import io.stackwarden.desired.DesiredSource;
import io.stackwarden.desired.DesiredStateReader;
import io.stackwarden.reconcile.Reconcilers;
import io.stackwarden.swarm.CountingSwarmEngine;
import io.stackwarden.swarm.FakeSwarm;
import io.stackwarden.swarm.SwarmObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile files in a desired-state folder, each beside a valid stack, through the reconcile path with a fake
 * swarm: every case ends in a clear error of the bad stack within seconds, with the heap bounded, writes
 * nothing for it and leaves the valid stack reconciled. A broken {@code stackwarden.yaml} concerns every
 * stack: then nothing is written at all. All files are generated here (sparse files, FIFOs, symlinks).
 * The time and peak heap of every case are printed as a table (measurements, not assertions).
 */
class HostileInputTest {

    private static final String GOOD = "services:\n  app:\n    image: app:1\n";
    /** Far above what any case may need, far below what the holes used to take (1 to 5 GB). */
    private static final long HEAP_BOUND = 512L << 20;
    private static final List<String> TABLE = new ArrayList<>();

    @TempDir
    Path root;
    @TempDir
    Path outside;

    private final FakeSwarm swarm = new FakeSwarm();
    private final CountingSwarmEngine engine = new CountingSwarmEngine(swarm);
    private final StatusStore statuses = new StatusStore();

    /** What a case breaks: one stack, or the shared settings (then every stack waits). */
    enum Scope { STACK, SETTINGS }

    @FunctionalInterface
    interface Setup {
        void in(Path root, Path bad, Path outside) throws Exception;
    }

    record Case(String name, Scope scope, String expected, Setup setup) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                // stackwarden.yaml
                new Case("settings -> /dev/zero", Scope.SETTINGS, "stackwarden.yaml: the settings file leads outside the desired-state root",
                        (r, b, o) -> Files.createSymbolicLink(r.resolve("stackwarden.yaml"), Path.of("/dev/zero"))),
                new Case("settings FIFO", Scope.SETTINGS, "stackwarden.yaml: the settings file is a FIFO",
                        (r, b, o) -> fifo(r.resolve("stackwarden.yaml"))),
                new Case("settings 2 GB sparse", Scope.SETTINGS, "larger than 1 MiB",
                        (r, b, o) -> sparse(r.resolve("stackwarden.yaml"), 2L << 30)),
                new Case("settings -> outside root", Scope.SETTINGS, "leads outside the desired-state root",
                        (r, b, o) -> Files.createSymbolicLink(r.resolve("stackwarden.yaml"), write(o.resolve("s.yaml"), "allowEmpty: true\n"))),
                new Case("settings alias bomb", Scope.SETTINGS, "Mi characters",
                        (r, b, o) -> Files.writeString(r.resolve("stackwarden.yaml"), scalarBomb("variables"))),
                // compose files
                new Case("compose -> /dev/zero", Scope.STACK, "bad/compose.yaml: the compose file leads outside the desired-state root",
                        (r, b, o) -> Files.createSymbolicLink(b.resolve("compose.yaml"), Path.of("/dev/zero"))),
                new Case("compose FIFO", Scope.STACK, "the compose file is a FIFO",
                        (r, b, o) -> fifo(b.resolve("compose.yaml"))),
                new Case("compose 2 GB sparse", Scope.STACK, "larger than 4 MiB",
                        (r, b, o) -> sparse(b.resolve("compose.yaml"), 2L << 30)),
                new Case("compose -> outside root", Scope.STACK, "leads outside the desired-state root",
                        (r, b, o) -> Files.createSymbolicLink(b.resolve("compose.yaml"), write(o.resolve("c.yaml"), GOOD))),
                new Case("compose binary", Scope.STACK, "invalid UTF-8",
                        (r, b, o) -> Files.write(b.resolve("compose.yaml"), new byte[]{'a', ':', ' ', (byte) 0xff, (byte) 0xfe, 0, 1})),
                new Case("compose NUL bytes", Scope.STACK, "compose.yaml",
                        (r, b, o) -> Files.write(b.resolve("compose.yaml"), new byte[4096])),
                new Case("scalar alias bomb 130 KB", Scope.STACK, "Mi characters",
                        (r, b, o) -> Files.writeString(b.resolve("compose.yaml"), scalarBomb("x-bomb"))),
                new Case("scalar alias bomb 3.9 MB", Scope.STACK, "nodes",
                        (r, b, o) -> Files.writeString(b.resolve("compose.yaml"), manyAliases())),
                new Case("billion laughs", Scope.STACK, "nodes (aliases counted",
                        (r, b, o) -> Files.writeString(b.resolve("compose.yaml"), laughs())),
                new Case("deep nesting", Scope.STACK, "nested deeper than 100",
                        (r, b, o) -> Files.writeString(b.resolve("compose.yaml"), "x: " + "[".repeat(1_000_000))),
                new Case("4 MB of nodes", Scope.STACK, "more than 250000 nodes",
                        (r, b, o) -> Files.writeString(b.resolve("compose.yaml"), "x: [" + "1,".repeat(2_000_000) + "1]\n")),
                new Case("3 MB key", Scope.STACK, "key is longer than 4096",
                        (r, b, o) -> Files.writeString(b.resolve("compose.yaml"), "? k" + "x".repeat(3_000_000) + "\n: 1\n")),
                new Case("interpolation bomb", Scope.STACK, "Mi characters",
                        (r, b, o) -> {
                            Files.writeString(b.resolve(".env"), "A=" + "x".repeat(60_000) + "\n");
                            Files.writeString(b.resolve("compose.yaml"), GOOD + "    labels:\n"
                                    + "      l: \"" + "${A}".repeat(1000) + "\"\n");
                        }),
                // .env
                new Case(".env -> outside root", Scope.STACK, ".env: the env file leads outside the desired-state root",
                        (r, b, o) -> {
                            Files.createSymbolicLink(b.resolve(".env"), write(o.resolve("host.env"), "TAG=from-host\n"));
                            Files.writeString(b.resolve("compose.yaml"), "services:\n  app:\n    image: app:${TAG}\n");
                        }),
                new Case(".env FIFO", Scope.STACK, "bad/.env: the env file is a FIFO",
                        (r, b, o) -> good(b, () -> fifo(b.resolve(".env")))),
                new Case(".env 2 GB sparse", Scope.STACK, "bad/.env: the env file is larger than 1 MiB",
                        (r, b, o) -> good(b, () -> sparse(b.resolve(".env"), 2L << 30))),
                new Case(".env invalid UTF-8", Scope.STACK, "invalid utf8",
                        (r, b, o) -> good(b, () -> Files.write(b.resolve(".env"), new byte[]{'A', '=', (byte) 0xc3, (byte) 0x28}))),
                // env_file
                new Case("env_file FIFO", Scope.STACK, "the env file is a FIFO",
                        (r, b, o) -> envFile(b, () -> fifo(b.resolve("app.env")))),
                new Case("env_file 1 GB sparse", Scope.STACK, "the env file is larger than 1 MiB",
                        (r, b, o) -> envFile(b, () -> sparse(b.resolve("app.env"), 1L << 30))),
                new Case("env_file 2 GB sparse", Scope.STACK, "the env file is larger than 1 MiB",
                        (r, b, o) -> envFile(b, () -> sparse(b.resolve("app.env"), 2L << 30))),
                new Case("env_file -> /dev/zero", Scope.STACK, "env_file \"app.env\" follows a symlink out of the desired-state root",
                        (r, b, o) -> envFile(b, () -> Files.createSymbolicLink(b.resolve("app.env"), Path.of("/dev/zero")))),
                new Case("env_file directory", Scope.STACK, "the env file is a directory",
                        (r, b, o) -> envFile(b, () -> Files.createDirectory(b.resolve("app.env")))),
                // configs and secrets
                new Case("config FIFO", Scope.STACK, "the config or secret file is a FIFO",
                        (r, b, o) -> objectFile(b, "configs", () -> fifo(b.resolve("data")))),
                new Case("secret 2 GB sparse", Scope.STACK, "larger than 1000 KiB",
                        (r, b, o) -> objectFile(b, "secrets", () -> sparse(b.resolve("data"), 2L << 30))),
                new Case("secret -> outside root", Scope.STACK, "secret o file \"./data\" follows a symlink out of the desired-state root",
                        (r, b, o) -> objectFile(b, "secrets", () -> Files.createSymbolicLink(b.resolve("data"),
                                write(o.resolve("key"), "host secret")))),
                // names
                new Case("stack name -x", Scope.STACK, "stack name", (r, b, o) -> { }),
                new Case("stack name 60 chars", Scope.STACK, "stack name", (r, b, o) -> { }),
                new Case("stack name unicode", Scope.STACK, "stack name", (r, b, o) -> { }));
    }

    /** The folder a case breaks: named "bad" unless the case is about names. */
    private static String folder(Case c) {
        return switch (c.name()) {
            case "stack name -x" -> "-x";
            case "stack name 60 chars" -> "a".repeat(60);
            case "stack name unicode" -> "caf\u00e9";
            default -> "bad";
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @Timeout(60) // a hang guard, not a performance claim
    void endsInAClearErrorAndHurtsNoOtherStack(Case c) throws Exception {
        Files.createDirectories(root.resolve("good"));
        Files.writeString(root.resolve("good/compose.yaml"), GOOD);
        String name = folder(c);
        Path bad = Files.createDirectories(root.resolve(name));
        if (name.equals("bad") || c.name().startsWith("stack name")) {
            if (!c.name().startsWith("stack name")) {
                c.setup().in(root, bad, outside);
            } else {
                Files.writeString(bad.resolve("compose.yaml"), GOOD);
            }
        }
        StackController controller = new StackController(DesiredSource.folder(root), new DesiredStateReader(),
                new StackCompiler(), Reconcilers.on(engine), engine, statuses, new SuspendOverrides(), Map.of(),
                Clock.systemUTC(), 3);

        Measure measure = Measure.start();
        PassResult result = controller.reconcile(name, Set.of(Trigger.MANUAL));
        String row = measure.row(c.name());
        TABLE.add(row);

        assertTrue(result.message().contains(c.expected()), () -> c + ": " + result.message());
        assertFalse(result.message().contains(root.toString()), () -> "absolute path in: " + result.message());
        assertFalse(result.message().contains(outside.toString()), () -> "host path in: " + result.message());
        assertTrue(measure.peakGrowth() < HEAP_BOUND, row);
        assertTrue(engine.writes().stream().noneMatch(w -> w.contains(name + "_")), () -> engine.writes().toString());

        PassResult good = controller.reconcile("good", Set.of(Trigger.MANUAL));
        if (c.scope() == Scope.SETTINGS) {
            assertEquals(PassResult.Next.RETRY, result.next());
            assertEquals(PassResult.Next.RETRY, good.next(), good.message());
            assertEquals(List.of(), engine.writes());
        } else {
            assertEquals(PassResult.Next.WAIT_FOR_CHANGE, result.next());
            assertEquals(PassResult.Next.DONE, good.next(), good.message());
            assertTrue(swarm.find(SwarmObject.Kind.SERVICE, "good_app").isPresent());
        }
    }

    @Test
    @Timeout(30)
    void neitherStatusNorRenderEchoesValuesFromVariablesOrEnvFiles() throws Exception {
        Path shop = Files.createDirectories(root.resolve("shop"));
        Files.writeString(shop.resolve(".env"), "REPLICAS=s3cr3t-from-dot-env\n");
        Files.writeString(shop.resolve("compose.yaml"), "services:\n  app:\n    image: app:1\n    deploy:\n"
                + "      replicas: ${REPLICAS}\n");
        Path blog = Files.createDirectories(root.resolve("blog"));
        Files.writeString(blog.resolve("app.env"), "A=1\ns3cr3t line without an equals sign\n");
        Files.writeString(blog.resolve("compose.yaml"), "services:\n  app:\n    image: app:1\n    env_file: app.env\n");
        Path wiki = Files.createDirectories(root.resolve("wiki"));
        Files.writeString(wiki.resolve(".env"), "IMAGE=app/S3CR3T\n");
        Files.writeString(wiki.resolve("compose.yaml"), "services:\n  app:\n    image: ${IMAGE}\n");
        StackController controller = new StackController(DesiredSource.folder(root), new DesiredStateReader(),
                new StackCompiler(), Reconcilers.on(engine), engine, statuses, new SuspendOverrides(), Map.of(),
                Clock.systemUTC(), 3);

        String image = controller.reconcile("wiki", Set.of(Trigger.MANUAL)).message();
        assertEquals("wiki/compose.yaml: invalid image reference for service app: invalid reference format: "
                + "repository name (${IMAGE}) must be lowercase", image);
        String replicas = controller.reconcile("shop", Set.of(Trigger.MANUAL)).message();
        assertEquals("shop/compose.yaml:5: error while interpolating services.app.deploy.replicas: failed to cast to "
                + "expected type: \"${REPLICAS}\" does not give an integer", replicas);
        String envLine = controller.reconcile("blog", Set.of(Trigger.MANUAL)).message();
        assertTrue(envLine.contains("blog/app.env:2: invalid env file (blog/app.env): line 2 has no '='"), envLine);
        assertFalse(envLine.contains("s3cr3t"), envLine);

        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new Render(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of()).run(root.toString());
        String printed = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, exit);
        assertTrue(printed.contains("error: stack blog: blog/app.env:2"), printed);
        assertFalse(printed.toLowerCase(java.util.Locale.ROOT).contains("s3cr3t"), printed);
        assertFalse(printed.contains(root.toString()), printed);
    }

    @AfterAll
    static void printTable() {
        System.out.println("| case | time ms | peak heap growth MiB |\n|---|---|---|\n" + String.join("\n", TABLE));
    }

    /** Wall time and the growth of the heap's peak (sum of the heap pools' peaks) over one call. */
    private record Measure(long started, long before) {
        static Measure start() {
            System.gc();
            pools().forEach(MemoryPoolMXBean::resetPeakUsage);
            return new Measure(System.nanoTime(), used());
        }

        long peakGrowth() {
            return pools().stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum() - before;
        }

        String row(String name) {
            return "| " + name + " | " + (System.nanoTime() - started) / 1_000_000 + " | " + (peakGrowth() >> 20) + " |";
        }

        private static long used() {
            return pools().stream().mapToLong(p -> p.getUsage().getUsed()).sum();
        }

        private static List<MemoryPoolMXBean> pools() {
            return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP).toList();
        }
    }

    @FunctionalInterface
    interface Step {
        void run() throws Exception;
    }

    private static void good(Path bad, Step step) throws Exception {
        Files.writeString(bad.resolve("compose.yaml"), GOOD);
        step.run();
    }

    private static void envFile(Path bad, Step step) throws Exception {
        Files.writeString(bad.resolve("compose.yaml"), GOOD + "    env_file: app.env\n");
        step.run();
    }

    private static void objectFile(Path bad, String kind, Step step) throws Exception {
        Files.writeString(bad.resolve("compose.yaml"), GOOD + "    " + kind + ": [o]\n" + kind + ":\n  o:\n    file: ./data\n");
        step.run();
    }

    private static Path write(Path file, String content) throws IOException {
        return Files.writeString(file, content);
    }

    private static void sparse(Path file, long size) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size);
        }
    }

    private static void fifo(Path file) throws Exception {
        Process mkfifo = new ProcessBuilder("mkfifo", file.toString()).inheritIO().start();
        assertEquals(0, mkfifo.waitFor(), "mkfifo " + file);
    }

    /** One 64 KiB scalar anchor, used 2000 times: 130 KB of file, 128 MiB of text. */
    private static String scalarBomb(String key) {
        return "x-a: &a \"" + "x".repeat(64 * 1024) + "\"\n" + key + ":\n" + "  - *a\n".repeat(2000);
    }

    /** Half a million aliases of one short scalar in a 3.9 MB file. */
    private static String manyAliases() {
        return "x-a: &a abcdefgh\nx-list:\n" + "- *a\n".repeat(780_000);
    }

    /** Nine levels of ten aliases each: 10^9 nodes from a few hundred bytes. */
    private static String laughs() {
        StringBuilder y = new StringBuilder("x-l0: &l0 [lol,lol,lol,lol,lol,lol,lol,lol,lol,lol]\n");
        for (int i = 1; i < 9; i++) {
            y.append("x-l").append(i).append(": &l").append(i).append(" [");
            for (int j = 0; j < 10; j++) {
                y.append(j == 0 ? "" : ",").append("*l").append(i - 1);
            }
            y.append("]\n");
        }
        return y.toString();
    }
}
