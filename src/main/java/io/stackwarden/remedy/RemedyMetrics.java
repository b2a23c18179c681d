package io.stackwarden.remedy;

/** Counts what remedies did, by remedy name and outcome (the metric, wired in {@code app}). */
@FunctionalInterface
public interface RemedyMetrics {

    RemedyMetrics NONE = (remedy, outcome) -> { };

    void count(String remedy, RemedyOutcome outcome);
}
