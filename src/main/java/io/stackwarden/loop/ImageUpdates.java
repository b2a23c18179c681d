package io.stackwarden.loop;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The port to the watch of image tags (stacks that opted in with {@code watchImages}): a pass tells it what the
 * stack's settings say, and takes from it the digests that watched tags moved to.
 */
public interface ImageUpdates {

    /** No watch at all: every stack keeps its pinned digests until its files change. */
    ImageUpdates NONE = new ImageUpdates() {
        @Override
        public void watch(String stack, Optional<Duration> interval) {
        }

        @Override
        public Map<String, String> newer(String stack) {
            return Map.of();
        }
    };

    /** The stack's watch interval as its files say now; empty when it does not watch or is gone. */
    void watch(String stack, Optional<Duration> interval);

    /** The digests the stack's watched tags moved to, by reference (engine form); empty for a stack that does not watch. */
    Map<String, String> newer(String stack);
}
