package io.stackwarden.cli;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.stackwarden.agent.Agent;
import io.stackwarden.agent.ShimKill;

import java.util.Arrays;

/**
 * Entry point. {@code render DIR [STACK]} works offline and exits; {@code agent} runs the node agent and
 * {@code shim-kill ID} is its helper container's command (both plain Java, no Quarkus); anything else starts the daemon.
 */
@QuarkusMain
public final class Main {

    private Main() {
    }

    public static void main(String... args) {
        String[] rest = args.length > 0 ? Arrays.copyOfRange(args, 1, args.length) : args;
        switch (args.length > 0 ? args[0] : "") {
            case "render" -> System.exit(new Render(System.out, System.err, System.getenv()).run(rest));
            case "agent" -> System.exit(Agent.run(System.getenv(), System.err));
            case "shim-kill" -> ShimKill.main(rest);
            default -> {
            }
        }
        Quarkus.run(args);
    }
}
