package io.stackwarden.remedy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What remedies did or wait to do for one stack; {@code pending} asks for a look again soon.
 *
 * @param services the remedies' state of each service they have to do with, by service name
 */
public record RemedyReport(List<String> notes, boolean pending, Map<String, List<RemedyStatus>> services) {

    public static final RemedyReport NONE = new RemedyReport(List.of(), false, Map.of());

    public RemedyReport {
        notes = List.copyOf(notes);
        services = Map.copyOf(services);
    }

    /** Both reports in one: the notes of each, pending if either is, each service's states side by side. */
    public RemedyReport and(RemedyReport other) {
        if (other.equals(NONE)) {
            return this;
        }
        if (equals(NONE)) {
            return other;
        }
        List<String> allNotes = new ArrayList<>(notes);
        allNotes.addAll(other.notes);
        Map<String, List<RemedyStatus>> all = new LinkedHashMap<>(services);
        other.services.forEach((service, states) -> all.merge(service, states, (a, b) -> {
            List<RemedyStatus> both = new ArrayList<>(a);
            both.addAll(b);
            return List.copyOf(both);
        }));
        return new RemedyReport(allNotes, pending || other.pending, all);
    }
}
