package io.stackwarden.desired;

import io.stackwarden.compose.ComposeException;
import io.stackwarden.compose.EnvFile;

import java.io.IOException;
import java.nio.file.Files;
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
    private static final long MAX_BYTES = 1 << 20;

    private Variables() {
    }

    public static Map<String, String> of(DesiredStack stack, Map<String, String> environment) throws ComposeException {
        Map<String, String> variables = new HashMap<>(environment);
        variables.putAll(stack.settings().variables());
        Path dotEnv = stack.dir().resolve(DOT_ENV);
        if (Files.isRegularFile(dotEnv)) {
            try {
                if (Files.size(dotEnv) > MAX_BYTES) {
                    throw new ComposeException(dotEnv, 0, "larger than " + MAX_BYTES + " bytes");
                }
                Map<String, String> layered = Map.copyOf(variables);
                variables.putAll(EnvFile.parse(dotEnv.toString(), Files.readAllBytes(dotEnv),
                        name -> Optional.ofNullable(layered.get(name))));
            } catch (IOException e) {
                throw new ComposeException(dotEnv, 0, "cannot read: " + e.getMessage());
            }
        }
        return variables;
    }
}
