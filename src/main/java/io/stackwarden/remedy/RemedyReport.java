package io.stackwarden.remedy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the remedies did or wait to do for one stack in one pass; {@code pending} asks for a look again soon.
 *
 * @param notes    what happened, in words, for the pass's message
 * @param services the remedies' state of each service they have to do with, by service name
 */
public record RemedyReport(List<String> notes, boolean pending, Map<String, List<RemedyStatus>> services) {

    public static final RemedyReport NONE = new RemedyReport(List.of(), false, Map.of());

    public RemedyReport {
        notes = List.copyOf(notes);
        services = Map.copyOf(services);
    }

    /** A report with one status per service. */
    static RemedyReport of(List<String> notes, boolean pending, Map<String, RemedyStatus> services) {
        Map<String, List<RemedyStatus>> lists = new TreeMap<>();
        services.forEach((service, status) -> lists.put(service, List.of(status)));
        return notes.isEmpty() && !pending && services.isEmpty() ? NONE : new RemedyReport(notes, pending, lists);
    }

    /** Both reports: the notes of both, pending if either is, each service's statuses of both. */
    public RemedyReport plus(RemedyReport other) {
        if (other.equals(NONE)) {
            return this;
        }
        if (equals(NONE)) {
            return other;
        }
        List<String> allNotes = new ArrayList<>(notes);
        allNotes.addAll(other.notes);
        Map<String, List<RemedyStatus>> all = new TreeMap<>(services);
        other.services.forEach((service, statuses) -> all.merge(service, statuses, (a, b) -> {
            List<RemedyStatus> both = new ArrayList<>(a);
            both.addAll(b);
            return List.copyOf(both);
        }));
        return new RemedyReport(allNotes, pending || other.pending, all);
    }
}
