package io.stackwarden.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwarden.compose.ComposeException;
import io.stackwarden.compose.StackCompiler;
import io.stackwarden.desired.DesiredStack;
import io.stackwarden.desired.DesiredState;
import io.stackwarden.desired.DesiredStateException;
import io.stackwarden.desired.DesiredStateReader;
import io.stackwarden.reconcile.DesiredObject;
import io.stackwarden.reconcile.SecretMask;
import io.stackwarden.reconcile.Ownership;
import io.stackwarden.reconcile.TargetState;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code render DIR [STACK]}: prints, offline, the Engine API objects Stackwarden would create for
 * each stack (or one), with images unpinned and secret data masked. Exit code 1 when a stack fails.
 */
public final class Render {

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> environment;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public Render(PrintStream out, PrintStream err, Map<String, String> environment) {
        this.out = out;
        this.err = err;
        this.environment = environment;
    }

    public int run(String... args) {
        if (args.length < 1 || args.length > 2) {
            err.println("usage: stackwarden render DIR [STACK]");
            return 2;
        }
        DesiredState state;
        try {
            state = new DesiredStateReader().read(Path.of(args[0]));
        } catch (DesiredStateException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
        List<DesiredStack> stacks = args.length == 2
                ? state.stack(args[1]).map(List::of).orElse(List.of())
                : state.stacks();
        if (stacks.isEmpty()) {
            err.println(args.length == 2 ? "error: no stack " + args[1] + " in " + args[0] : "error: no stacks in " + args[0]);
            return 1;
        }
        ObjectNode document = json.createObjectNode();
        boolean failed = false;
        for (DesiredStack stack : stacks) {
            try {
                document.set(stack.name(), render(state.root(), stack));
            } catch (ComposeException e) {
                err.println("error: stack " + stack.name() + ": " + e.getMessage());
                failed = true;
            }
        }
        out.println(document.toPrettyString());
        return failed ? 1 : 0;
    }

    private ObjectNode render(Path root, DesiredStack stack) throws ComposeException {
        StackCompiler.Compiled compiled = new StackCompiler().compile(stack.input(root, environment));
        compiled.warnings().forEach(warning -> err.println("warning: stack " + stack.name() + ": " + warning));
        TargetState target = Ownership.labelled(TargetState.of(stack.name(), "", compiled.objects()));
        ObjectNode rendered = json.createObjectNode();
        for (DesiredObject object : target.objects()) {
            ArrayNode kind = rendered.withArray(object.kind() + "s");
            kind.add(SecretMask.masked(object));
        }
        return rendered;
    }
}
