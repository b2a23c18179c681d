package io.stackwarden.loop;

/** Why a stack was put on the queue. Triggers only enqueue; the queue decides when a pass runs. */
public enum Trigger {
    STARTUP, RESYNC, ENGINE_EVENT, SOURCE_CHANGE, MANUAL, RETRY, CONVERGING, IMAGE_UPDATE,
    /** A node remedy (stuck task, leftover container) found or did something the stack's status should show. */
    REMEDY
}
