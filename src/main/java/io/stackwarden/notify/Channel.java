package io.stackwarden.notify;

/** One configured sink with what it wants and what it was told. */
public record Channel(String name, Sink sink, SinkFilter filter, Dedupe dedupe) {
}
