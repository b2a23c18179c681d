package io.stackwarden.notify;

import java.util.Arrays;
import java.util.Optional;

/** What a notice is about; a sink's {@code events} name these words. */
public enum NoticeKind {
    /** A stack's sync: Synced or OutOfSync. */
    SYNC("sync"),
    /** A stack's health: Healthy, Progressing, Degraded, Suspended, Missing. */
    HEALTH("health"),
    /** How a revision fared: applied and rolling out, deployed and healthy, or failed (a failed pass). */
    DEPLOY("deploy"),
    /** A stack was pruned: its folder is gone and it was removed from the swarm. */
    PRUNED("pruned"),
    /** A remedy retried a service, or gave up on it. */
    REMEDY("remedy"),
    /** The desired-state source went stale (a failed fetch) or became current again. */
    SOURCE("source");

    private final String word;

    NoticeKind(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }

    /**
     * A condition holds until it changes, so it is told once per change (and reminded while broken); anything
     * else is a one-off event, told every time.
     */
    public boolean condition() {
        return this != PRUNED;
    }

    public static Optional<NoticeKind> named(String word) {
        return Arrays.stream(values()).filter(kind -> kind.word.equals(word)).findFirst();
    }

    @Override
    public String toString() {
        return word;
    }
}
