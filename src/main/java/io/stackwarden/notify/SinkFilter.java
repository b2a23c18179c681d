package io.stackwarden.notify;

import java.util.Set;

/**
 * Which notices a sink wants.
 *
 * @param events the kinds it is told
 * @param stacks the stacks it is told about; empty: all. Notices of the source concern every stack and pass.
 */
public record SinkFilter(Set<NoticeKind> events, Set<String> stacks) {

    public SinkFilter {
        events = Set.copyOf(events);
        stacks = Set.copyOf(stacks);
    }

    public boolean accepts(Notice notice) {
        return events.contains(notice.kind())
                && (notice.stack().isEmpty() || stacks.isEmpty() || stacks.contains(notice.stack()));
    }
}
