package io.stackwarden.leader;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who may act, as the labels of the lease record hold it. The times are the holder's and only informative:
 * others never compare them with their own clock (see {@link LeaderElection}).
 *
 * @param holder      the identity of the instance that holds it; empty when released or never taken
 * @param address     where the holder takes requests handed on by standbys ({@code http://host:port}), may be empty
 * @param duration    how long others wait, after they last saw the record change, before they take it over
 * @param transitions how often the lease changed hands
 */
public record Lease(String holder, String address, Duration duration, Instant acquiredAt, Instant renewedAt,
                    long transitions) {

    static final String PREFIX = "io.stackwarden.lease.";
    static final Lease NONE = new Lease("", "", Duration.ZERO, Instant.EPOCH, Instant.EPOCH, 0);

    public boolean held() {
        return !holder.isEmpty();
    }

    boolean heldBy(String identity) {
        return holder.equals(identity);
    }

    Lease renewed(Instant at) {
        return new Lease(holder, address, duration, acquiredAt, at, transitions);
    }

    /** The same lease with nobody holding it: the next instance takes it without waiting. */
    Lease released(Instant at) {
        return new Lease("", "", duration, acquiredAt, at, transitions);
    }

    Lease takenBy(String identity, String address, Duration duration, Instant at) {
        return new Lease(identity, address, duration, at, at, transitions + 1);
    }

    Map<String, String> labels() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(PREFIX + "holder", holder);
        labels.put(PREFIX + "address", address);
        labels.put(PREFIX + "duration-ms", Long.toString(duration.toMillis()));
        labels.put(PREFIX + "acquired", acquiredAt.toString());
        labels.put(PREFIX + "renewed", renewedAt.toString());
        labels.put(PREFIX + "transitions", Long.toString(transitions));
        return labels;
    }

    /** The lease the labels hold; a label that is missing or unreadable counts as its empty value. */
    static Lease of(Map<String, String> labels) {
        return new Lease(labels.getOrDefault(PREFIX + "holder", ""), labels.getOrDefault(PREFIX + "address", ""),
                Duration.ofMillis(number(labels.get(PREFIX + "duration-ms"))), instant(labels.get(PREFIX + "acquired")),
                instant(labels.get(PREFIX + "renewed")), number(labels.get(PREFIX + "transitions")));
    }

    private static long number(String text) {
        try {
            return text == null ? 0 : Math.max(0, Long.parseLong(text));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Instant instant(String text) {
        try {
            return text == null ? Instant.EPOCH : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }
}
