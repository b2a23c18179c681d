package io.stackwarden.swarm;

import java.util.regex.Pattern;

/**
 * Recognises the engine's "this network does not exist (here)" errors, in a task's error or an API answer:
 * libnetwork's and swarmkit's {@code network <id or name> not found}, the daemon's {@code No such network: <name>}
 * and {@code could not find network <name>}.
 */
public final class NetworkNotFound {

    private static final Pattern ERROR = Pattern.compile(
            "network \\S+ not found|no such network|could not find network", Pattern.CASE_INSENSITIVE);

    private NetworkNotFound() {
    }

    public static boolean in(String message) {
        return message != null && ERROR.matcher(message).find();
    }
}
