package io.stackwarden.leader;

import java.time.Instant;

/** Whether this instance leads now, and where it stands: the election's answer, or always yes for a lone instance. */
public interface Leadership {

    /** Whether this instance may act now. */
    boolean leading();

    LeaderStatus status();

    /** A single instance without an election ({@code stackwarden.leader.enabled=false}): it always leads. */
    static Leadership alone(String identity, String address, Instant since) {
        LeaderStatus status = new LeaderStatus(LeaderStatus.Role.LEADER, identity, identity, address, since, 0, "");
        return new Leadership() {
            @Override
            public boolean leading() {
                return true;
            }

            @Override
            public LeaderStatus status() {
                return status;
            }
        };
    }
}
