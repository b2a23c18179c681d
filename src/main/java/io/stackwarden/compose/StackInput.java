package io.stackwarden.compose;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What {@link ComposeLoader} needs to load one stack.
 *
 * @param name         stack name (also exposed to interpolation as {@code STACK_NAME})
 * @param stackDir     directory relative paths resolve against (the CLI's working dir: the first file's folder)
 * @param rootDir      desired-state root; every referenced file must stay inside it
 * @param composeFiles files merged in order, like repeated {@code docker stack deploy -c}
 * @param variables    interpolation variables, already layered by the caller
 * @param bindPolicy   which bind-mount sources the stack may use
 */
public record StackInput(String name, Path stackDir, Path rootDir, List<Path> composeFiles,
                         Map<String, String> variables, BindPolicy bindPolicy) {

    public StackInput {
        composeFiles = List.copyOf(composeFiles);
        variables = Map.copyOf(variables);
    }

    /** A stack that may bind-mount any node path, as with the CLI. */
    public StackInput(String name, Path stackDir, Path rootDir, List<Path> composeFiles, Map<String, String> variables) {
        this(name, stackDir, rootDir, composeFiles, variables, BindPolicy.ANY);
    }
}
