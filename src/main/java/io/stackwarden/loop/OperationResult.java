package io.stackwarden.loop;

import com.fasterxml.jackson.annotation.JsonValue;

/** How a pass ended, in the words the status and the sync API show. */
public enum OperationResult {
    SUCCEEDED("succeeded"), RETRYING("retrying"), FAILED("failed");

    private final String word;

    OperationResult(String word) {
        this.word = word;
    }

    @JsonValue
    @Override
    public String toString() {
        return word;
    }
}
