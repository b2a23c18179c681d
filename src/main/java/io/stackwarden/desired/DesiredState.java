package io.stackwarden.desired;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The desired state as read from its directory: every stack folder (valid or not) and the workspace settings. */
public record DesiredState(Path root, List<DesiredStack> stacks, WorkspaceSettings settings) {

    public Optional<DesiredStack> stack(String name) {
        return stacks.stream().filter(stack -> stack.name().equals(name)).findFirst();
    }
}
