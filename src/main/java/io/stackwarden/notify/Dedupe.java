package io.stackwarden.notify;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One sink's memory of what it was told, per kind and stack: a condition is told when it changes, and again
 * every {@code remindEvery} while it is not OK. What is OK the first time it is seen (after a start) is not
 * news, only remembered, so a restart does not repeat every stack's state.
 */
public final class Dedupe {

    private record Told(Notice notice, Instant at) {
    }

    private final Duration remindEvery;
    private final Map<String, Told> told = new HashMap<>();

    /** @param remindEvery zero: no reminders */
    public Dedupe(Duration remindEvery) {
        this.remindEvery = remindEvery;
    }

    /** The notice to send for {@code notice} (with what was told before), or empty when it is no news. */
    public synchronized Optional<Notice> admit(Notice notice) {
        if (!notice.kind().condition()) {
            told.keySet().removeIf(key -> key.endsWith("/" + notice.stack())); // a stack that comes back starts afresh
            return Optional.of(notice);
        }
        String key = notice.kind() + "/" + notice.stack();
        Told before = told.get(key);
        if (before == null) {
            told.put(key, new Told(notice, notice.at()));
            return notice.level() == Notice.Level.OK ? Optional.empty() : Optional.of(notice);
        }
        if (before.notice().sameAs(notice)) {
            told.put(key, new Told(notice, before.at())); // the latest detail, the time of the first telling
            return Optional.empty();
        }
        told.put(key, new Told(notice, notice.at()));
        return Optional.of(notice.after(before.notice().state()));
    }

    /** Reminders of what is still not OK and was last told {@code remindEvery} ago or longer. */
    public synchronized List<Notice> reminders(Instant now) {
        List<Notice> due = new ArrayList<>();
        if (remindEvery.isZero()) {
            return due;
        }
        told.replaceAll((key, last) -> {
            if (last.notice().level() == Notice.Level.OK || Duration.between(last.at(), now).compareTo(remindEvery) < 0) {
                return last;
            }
            due.add(last.notice().remindedAt(now));
            return new Told(last.notice(), now);
        });
        return due;
    }
}
