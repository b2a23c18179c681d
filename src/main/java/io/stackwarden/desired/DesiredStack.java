package io.stackwarden.desired;

import io.stackwarden.compose.ComposeException;
import io.stackwarden.compose.StackInput;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One stack folder of the desired state.
 *
 * @param composeFiles absolute paths, merged in order; empty when {@link #problem()} says why
 * @param problem      why this folder cannot be deployed (bad name, no compose file), if it cannot
 */
public record DesiredStack(String name, Path dir, List<Path> composeFiles, StackSettings settings,
                           Optional<String> problem) {

    /**
     * What the compiler needs to load this stack from {@code root}: its files, its variables over
     * {@code environment} and its bind policy; the folder's problem, if any, as the error.
     */
    public StackInput input(Path root, Map<String, String> environment) throws ComposeException {
        if (problem.isPresent()) {
            throw new ComposeException(name, 0, problem.get());
        }
        // Relative paths of every file resolve against the first file's folder, the CLI's working directory.
        Path workingDir = composeFiles.get(0).getParent();
        return new StackInput(name, workingDir, root, composeFiles, Variables.of(root, this, environment), settings.bindPolicy());
    }
}
