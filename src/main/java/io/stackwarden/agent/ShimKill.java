package io.stackwarden.agent;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongPredicate;
import java.util.regex.Pattern;

/**
 * {@code shim-kill CONTAINER_ID}: the command of the agent's helper container, which runs in the host's PID
 * namespace. It finds the {@code containerd-shim-runc-v2} process whose {@code -id} argument is exactly that full
 * container ID by reading every {@code /proc/<pid>/cmdline}, and kills it with SIGKILL. Matching the full ID
 * matters: a PID namespace may hold the shims of several engines. containerd then cleans up after the dead shim
 * (its container's processes end) and the engine sees the container exit.
 * Prints {@code killed <pid>} and exits {@link #KILLED}, or prints why and exits {@link #NO_SHIM} or 1.
 */
public final class ShimKill {

    public static final int KILLED = 0;
    public static final int NO_SHIM = 3;
    public static final String SHIM = "containerd-shim-runc-v2";
    private static final Pattern FULL_ID = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern PID = Pattern.compile("[0-9]+");

    private ShimKill() {
    }

    public static void main(String... args) {
        System.exit(run(args, Path.of("/proc"), System.out, ShimKill::kill));
    }

    /** @param kill sends SIGKILL to the pid and waits for it to end; true when it ended */
    static int run(String[] args, Path proc, PrintStream out, LongPredicate kill) {
        if (args.length != 1 || !FULL_ID.matcher(args[0]).matches()) {
            out.println("usage: shim-kill FULL_CONTAINER_ID (64 hex digits)");
            return 1;
        }
        List<Long> shims;
        try {
            shims = shimsOf(proc, args[0]);
        } catch (IOException e) {
            out.println("cannot read " + proc + ": " + e.getMessage());
            return 1;
        }
        if (shims.isEmpty()) {
            out.println("no " + SHIM + " process with -id " + args[0]);
            return NO_SHIM;
        }
        if (shims.size() > 1) {
            out.println("several " + SHIM + " processes with -id " + args[0] + ": " + shims + "; none killed");
            return 1;
        }
        long pid = shims.get(0);
        if (!kill.test(pid)) {
            out.println("pid " + pid + " did not end after SIGKILL");
            return 1;
        }
        out.println("killed " + pid);
        return KILLED;
    }

    /** The pids of the shims of that container among the processes under {@code proc}. */
    static List<Long> shimsOf(Path proc, String containerId) throws IOException {
        List<Long> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(proc)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (PID.matcher(name).matches() && isShimOf(arguments(entry.resolve("cmdline")), containerId)) {
                    found.add(Long.parseLong(name));
                }
            }
        }
        return found;
    }

    /** Whether a command line is {@code .../containerd-shim-runc-v2 ... -id <containerId> ...}. */
    static boolean isShimOf(List<String> args, String containerId) {
        if (args.isEmpty() || !Path.of(args.get(0)).getFileName().toString().equals(SHIM)) {
            return false;
        }
        for (int i = 1; i + 1 < args.size(); i++) {
            if (args.get(i).equals("-id") && args.get(i + 1).equals(containerId)) {
                return true;
            }
        }
        return false;
    }

    /** A process's arguments; none for a process that ended meanwhile or that has none (a kernel thread). */
    private static List<String> arguments(Path cmdline) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(cmdline);
        } catch (IOException e) {
            return List.of();
        }
        List<String> args = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                args.add(new String(bytes, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        if (start < bytes.length) {
            args.add(new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8));
        }
        return args;
    }

    /** SIGKILL (on Unix {@code destroyForcibly} is exactly that, for any process we may signal), then its end. */
    private static boolean kill(long pid) {
        return ProcessHandle.of(pid).map(process -> {
            process.destroyForcibly();
            try {
                process.onExit().get(10, TimeUnit.SECONDS);
                return true;
            } catch (TimeoutException | ExecutionException e) {
                return !process.isAlive();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }).orElse(true);
    }
}
