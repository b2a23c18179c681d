package io.stackwarden.remedy;

/** The {@code outcome} tag of {@code stackwarden_remedies_total}: what became of one remedy's attempt. */
public enum RemedyOutcome {
    /** The fix was written (a forced update made). */
    APPLIED("applied"),
    /** The engine refused the write; it is tried again later. */
    FAILED("failed"),
    /** Still not fixed after the most retries: reported, and left alone until the service's spec changes. */
    EXHAUSTED("exhausted");

    private final String tag;

    RemedyOutcome(String tag) {
        this.tag = tag;
    }

    @Override
    public String toString() {
        return tag;
    }
}
