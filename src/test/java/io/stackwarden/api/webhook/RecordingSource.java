package io.stackwarden.api.webhook;

import io.stackwarden.desired.SourceRefresh;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** A source that follows a given branch (or none) and records every refresh request. */
public final class RecordingSource implements SourceRefresh {

    private final Optional<String> branch;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    public RecordingSource(Optional<String> branch) {
        this.branch = branch;
    }

    @Override
    public Optional<String> branch() {
        return branch;
    }

    @Override
    public void requestRefresh(String reason) {
        requests.add(reason);
    }

    /** The reasons of the requests so far, in order. */
    public List<String> requests() {
        return List.copyOf(requests);
    }
}
