package io.stackwarden.remedy.node;

import io.stackwarden.remedy.RemedyReport;
import io.stackwarden.remedy.RemedyStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The node remedies' reports of one scan, by stack: a note each, and a state per live service. */
final class Reports {

    private final int maxAttempts;
    private final Map<String, List<String>> notes = new TreeMap<>();
    private final Map<String, Map<String, List<RemedyStatus>>> services = new TreeMap<>();

    Reports(int maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    /** @param service the live service's name, empty when the service is gone (a note only) */
    void add(String remedy, String stack, String service, String state, Overdue.Entry entry, String note) {
        notes.computeIfAbsent(stack, s -> new ArrayList<>()).add(remedy + ": " + note);
        if (!service.isEmpty()) {
            services.computeIfAbsent(stack, s -> new TreeMap<>()).computeIfAbsent(service, s -> new ArrayList<>())
                    .add(new RemedyStatus(remedy, state, entry.attempts(), maxAttempts, entry.last()));
        }
    }

    /** Nothing pending: a stack is told when its report changes, which is when it needs a look. */
    Map<String, RemedyReport> build() {
        Map<String, RemedyReport> built = new TreeMap<>();
        notes.forEach((stack, lines) -> {
            Map<String, List<RemedyStatus>> states = new TreeMap<>();
            services.getOrDefault(stack, Map.of()).forEach((service, list) -> states.put(service, List.copyOf(list)));
            built.put(stack, new RemedyReport(lines, false, states));
        });
        return Map.copyOf(built);
    }
}
