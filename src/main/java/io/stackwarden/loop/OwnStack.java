package io.stackwarden.loop;

import java.util.Optional;

/**
 * The stack Stackwarden itself runs in (its own service, its node agent, their network), found from the labels of
 * its own container or set by hand. It is never managed, pruned or remedied by Stackwarden, whatever the files say:
 * a stack folder of that name, a removal of every stack, a forced update of its own service.
 */
public final class OwnStack {

    private volatile boolean known;
    private volatile Optional<String> name = Optional.empty();

    private OwnStack() {
    }

    /** Not known yet: writes are held until it is ({@link #found}). */
    public static OwnStack unknown() {
        return new OwnStack();
    }

    /** Known from the start: {@code stack}, or none (not running as a swarm service). */
    public static OwnStack of(Optional<String> stack) {
        OwnStack own = new OwnStack();
        own.found(stack);
        return own;
    }

    public void found(Optional<String> stack) {
        name = stack.filter(s -> !s.isBlank());
        known = true;
    }

    public boolean known() {
        return known;
    }

    public Optional<String> name() {
        return name;
    }

    public boolean is(String stack) {
        return name.map(stack::equals).orElse(false);
    }

    /** Why {@code stack} must be left alone, if it must. */
    public Optional<String> refusal(String stack) {
        return is(stack) ? Optional.of("refused: " + stack + " is the stack Stackwarden itself runs in; it never manages,"
                + " prunes or remedies its own stack (rename the folder, or deploy it by hand)") : Optional.empty();
    }
}
