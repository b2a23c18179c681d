package io.stackwarden.compose;

import io.stackwarden.compose.engine.StackObjects;
import io.stackwarden.compose.convert.ConvertException;
import io.stackwarden.compose.convert.StackConverter;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Compose files to the engine objects of one stack: load (parse, interpolate, validate, merge), then
 * convert. Offline and side-effect free, so {@code render} and the reconcile loop share it.
 */
public final class StackCompiler {

    private final ComposeLoader loader = new ComposeLoader();

    /** The objects, the loader's warnings and the services' {@code x-stackwarden} settings (by compose name) of one stack. */
    public record Compiled(StackObjects objects, List<String> warnings, Map<String, ServiceExtension> extensions) {
    }

    public Compiled compile(StackInput input) throws ComposeException {
        // Errors never quote what variables put into the files (they may come from a secret .env).
        Redaction redaction = new Redaction();
        try {
            LoadedStack loaded = loader.load(input, redaction);
            PathGuard guard = new PathGuard(input.rootDir());
            try {
                StackObjects objects = StackConverter.convert(input.name(), loaded.config(),
                        path -> guard.read(Path.of(path), FileKind.OBJECT));
                return new Compiled(objects, loaded.warnings(), loaded.extensions());
            } catch (ConvertException e) {
                throw new ComposeException(guard.show(input.stackDir().resolve(input.composeFiles().get(0))), 0,
                        e.getMessage());
            }
        } catch (ComposeException e) {
            throw redaction.apply(e);
        }
    }
}
