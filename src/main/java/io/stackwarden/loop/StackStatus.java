package io.stackwarden.loop;

import com.fasterxml.jackson.annotation.JsonValue;
import io.stackwarden.remedy.RemedyStatus;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Where one stack stands, on Argo CD's two axes: sync (is the swarm equal to the files?) and health
 * (are its tasks running?), plus what was applied and tried last.
 *
 * @param revisionApplied   the revision the swarm was last made equal to
 * @param revisionAttempted the revision of the latest attempt, successful or not
 * @param message           the latest problem or outcome, in words
 * @param imageUpdates      the latest rollout of watched tags that moved: which digest replaced which, per service
 *                          ({@code image app:1: sha256:... → sha256:... (service s_app)}); kept until the next one
 */
public record StackStatus(String stack, Sync sync, Health health, String revisionApplied, String revisionAttempted,
                          Operation lastOperation, List<ServiceStatus> services, String message, List<String> imageUpdates) {

    /** Spelled as users know it from Argo CD. */
    public enum Sync {
        SYNCED("Synced"), OUT_OF_SYNC("OutOfSync"), UNKNOWN("Unknown");

        private final String label;

        Sync(String label) {
            this.label = label;
        }

        @JsonValue
        @Override
        public String toString() {
            return label;
        }
    }

    /** Spelled as users know it from Argo CD. */
    public enum Health {
        HEALTHY("Healthy"), PROGRESSING("Progressing"), DEGRADED("Degraded"), SUSPENDED("Suspended"),
        MISSING("Missing"), UNKNOWN("Unknown");

        private final String label;

        Health(String label) {
            this.label = label;
        }

        @JsonValue
        @Override
        public String toString() {
            return label;
        }
    }

    /** The latest reconcile pass. */
    public record Operation(Set<Trigger> triggers, Instant started, Instant finished, OperationResult result, String message,
                            List<String> writes) {
    }

    /**
     * @param differences the spec fields that differ from the files (JSON pointers), empty when in sync
     * @param remedies    what remedies did or wait to do for the service, empty when none had to
     */
    public record ServiceStatus(String name, int desiredTasks, int runningTasks, String updateState,
                                List<String> differences, List<RemedyStatus> remedies) {
    }

    public static StackStatus unknown(String stack) {
        return new StackStatus(stack, Sync.UNKNOWN, Health.UNKNOWN, "", "", null, List.of(), "not reconciled yet",
                List.of());
    }
}
