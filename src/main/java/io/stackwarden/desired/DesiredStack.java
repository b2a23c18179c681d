package io.stackwarden.desired;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One stack folder of the desired state.
 *
 * @param composeFiles absolute paths, merged in order; empty when {@link #problem()} says why
 * @param problem      why this folder cannot be deployed (bad name, no compose file), if it cannot
 */
public record DesiredStack(String name, Path dir, List<Path> composeFiles, StackSettings settings,
                           Optional<String> problem) {
}
