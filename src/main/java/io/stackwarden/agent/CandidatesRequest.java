package io.stackwarden.agent;

import java.util.List;

/** The stacks whose containers on its node an agent lists; it lists no others. */
public record CandidatesRequest(List<String> stacks, String requester) {
}
