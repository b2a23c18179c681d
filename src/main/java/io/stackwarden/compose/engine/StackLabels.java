package io.stackwarden.compose.engine;

/**
 * docker/cli's stack labels, written as the CLI writes them, so {@code docker stack ls/ps/rm} keep working on
 * the stacks Stackwarden deploys. Stackwarden's own labels are in {@code reconcile.Ownership}.
 */
public final class StackLabels {

    /** The stack's name, on every object of a stack. */
    public static final String NAMESPACE = "com.docker.stack.namespace";
    /** A service's image as the file writes it; the CLI decides on it whether the image changed. */
    public static final String IMAGE = "com.docker.stack.image";

    private StackLabels() {
    }
}
