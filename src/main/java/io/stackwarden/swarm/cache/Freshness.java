package io.stackwarden.swarm.cache;

/** Whether the cache may answer reads; only {@link #FRESH} does, the others read through to the engine. */
public enum Freshness {
    /** Not filled yet: the event stream has not connected. */
    EMPTY,
    /** Filled by a listing and kept current by a connected event stream. */
    FRESH,
    /** Events may have been missed (the stream dropped, or a write could not be read back) until the next listing. */
    STALE
}
