package io.stackwarden.parity;

import io.stackwarden.lab.Lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The docker CLI against the lab's manager, with its exit code (a refusal is an answer here, not a failure). */
final class Cli {

    record Result(int exit, String output) {
        boolean ok() {
            return exit == 0;
        }
    }

    private Cli() {
    }

    static Result docker(Path workDir, String... args) {
        List<String> command = new ArrayList<>(List.of("docker", "-H", Lab.dockerHost()));
        command.addAll(List.of(args));
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            if (workDir != null) {
                builder.directory(workDir.toFile());
            }
            Process process = builder.start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(3, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out: " + command);
            }
            return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + command, e);
        }
    }
}
