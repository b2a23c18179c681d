package io.stackwarden.compose;

import io.stackwarden.compose.convert.ConvertException;
import io.stackwarden.compose.convert.StackConverter;
import io.stackwarden.compose.convert.StackObjects;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Compose files to the engine objects of one stack: load (parse, interpolate, validate, merge), then
 * convert. Offline and side-effect free, so {@code render} and the reconcile loop share it.
 */
public final class StackCompiler {

    /** Configs and secrets larger than this are refused (Swarm's own limit is 500 KiB). */
    static final long MAX_FILE_BYTES = 1000 * 1024;

    private final ComposeLoader loader = new ComposeLoader();

    /** The objects and the loader's warnings of one stack. */
    public record Compiled(StackObjects objects, List<String> warnings) {
    }

    public Compiled compile(StackInput input) throws ComposeException {
        LoadedStack loaded = loader.load(input);
        try {
            StackObjects objects = StackConverter.convert(input.name(), loaded.config(), StackCompiler::read);
            return new Compiled(objects, loaded.warnings());
        } catch (ConvertException e) {
            throw new ComposeException(input.composeFiles().get(0), 0, e.getMessage());
        }
    }

    private static byte[] read(String path) throws IOException {
        Path file = Path.of(path);
        if (Files.size(file) > MAX_FILE_BYTES) {
            throw new IOException(path + " is larger than " + MAX_FILE_BYTES + " bytes");
        }
        return Files.readAllBytes(file);
    }
}
