package io.stackwarden.api.webhook;

import java.util.Optional;

/**
 * One ref a push moved: its full name ({@code refs/heads/main}, {@code refs/tags/v1}; empty when the
 * sender did not say, which the generic hook allows) and the commit it points at now ("" when unknown).
 */
public record PushedRef(Optional<String> ref, String commit) {
}
