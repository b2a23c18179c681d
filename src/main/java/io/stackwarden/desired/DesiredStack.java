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
     * What the compose loader needs for this stack: its files, its layered variables and its bind policy.
     *
     * @param root        the desired-state root every file it reads must stay in
     * @param environment the daemon's environment, the lowest layer of variables
     */
    public StackInput input(Path root, Map<String, String> environment) throws ComposeException {
        return new StackInput(name, dir, root, composeFiles, Variables.of(this, environment), settings.bindPolicy());
    }
}
