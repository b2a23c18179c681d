package io.stackwarden.remedy;

import java.util.Map;

/** A remedy that looks at one stack's services once per pass and acts where it must. */
@FunctionalInterface
public interface StackRemedy {

    RemedyReport check(RemedyInput input);

    /** The retries this remedy counts, by the remedy's name, saved across restarts and take-overs; none by default. */
    default Map<String, Retries> retries() {
        return Map.of();
    }
}
