package io.stackwarden.desired;

import io.stackwarden.compose.ComposeException;
import io.stackwarden.compose.EnvFile;
import io.stackwarden.compose.FileKind;
import io.stackwarden.compose.FileRefused;
import io.stackwarden.compose.PathGuard;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Interpolation variables of one stack. The first source that defines a name wins: the stack's
 * {@code .env}, then {@code stackwarden.yaml} (the stack's entry over the global {@code variables}),
 * then the daemon's environment. {@code STACK_NAME} is set by the loader and always wins.
 */
public final class Variables {

    static final String DOT_ENV = ".env";

    private Variables() {
    }

    /** @param root the desired-state root: a {@code .env} that leads out of it is refused, as an {@code env_file} is */
    public static Map<String, String> of(Path root, DesiredStack stack, Map<String, String> environment)
            throws ComposeException {
        Map<String, String> variables = new HashMap<>(environment);
        variables.putAll(stack.settings().variables());
        PathGuard guard = new PathGuard(root);
        Path dotEnv = stack.dir().resolve(DOT_ENV);
        byte[] content;
        try {
            content = guard.read(dotEnv, FileKind.ENV);
        } catch (FileRefused e) {
            if (e.reason() == FileRefused.Reason.MISSING) {
                return variables;
            }
            throw new ComposeException(e.shown(), 0, e.detail());
        }
        Map<String, String> layered = Map.copyOf(variables);
        variables.putAll(EnvFile.parse(guard.show(dotEnv), content, name -> Optional.ofNullable(layered.get(name))));
        return variables;
    }
}
