package io.stackwarden.config;

import io.stackwarden.notify.SinkSettings;

import java.util.List;

/** The configured notification sinks as the notify package takes them. */
public final class NotifySettings {

    private NotifySettings() {
    }

    public static List<SinkSettings> sinks(StackwardenConfig.Notify notify) {
        return notify.sinks().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey()).map(entry -> {
            StackwardenConfig.Sink sink = entry.getValue();
            return new SinkSettings(entry.getKey(), sink.type(), sink.url(), sink.urlFile(), sink.secretFile(),
                    sink.tokenFile(), sink.repository(), sink.events().orElse(List.of()), sink.stacks().orElse(List.of()),
                    sink.remindEvery(), sink.context(), sink.targetUrl());
        }).toList();
    }
}
