package io.stackwarden.leader;

import com.fasterxml.jackson.annotation.JsonValue;

import java.time.Instant;
import java.util.Locale;

/**
 * Where this instance stands in the election, for health, the API and metrics.
 *
 * @param identity      this instance
 * @param leader        the holder of the lease as last read; empty when none holds it or it was never read
 * @param leaderAddress where the holder takes handed-on requests; empty when unknown
 * @param since         when this instance took its current role
 * @param transitions   how often the lease changed hands, as last read
 * @param lastError     why the last read or write of the lease failed; empty when it succeeded
 */
public record LeaderStatus(Role role, String identity, String leader, String leaderAddress, Instant since,
                           long transitions, String lastError) {

    public enum Role {
        /** Holds the lease and acts. */
        LEADER,
        /** Serves read-only status and hands mutating requests to the leader. */
        STANDBY;

        @JsonValue
        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public boolean leading() {
        return role == Role.LEADER;
    }

    /** The leader in words, for a standby's answers: {@code "m2/stackwarden_operator.1.x at http://10.0.1.5:8080"}. */
    public String leaderDescription() {
        if (leader.isEmpty()) {
            return "no leader is known yet";
        }
        return "the leader is " + leader + (leaderAddress.isEmpty() ? "" : " at " + leaderAddress);
    }
}
