package io.stackwarden.remedy;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Every remedy, one after the other, for one stack; their reports together. */
public final class Remedies implements StackRemedy {

    private final List<StackRemedy> remedies;

    private Remedies(List<StackRemedy> remedies) {
        this.remedies = List.copyOf(remedies);
    }

    public static Remedies of(StackRemedy... remedies) {
        return new Remedies(List.of(remedies));
    }

    @Override
    public Map<String, Retries> retries() {
        Map<String, Retries> all = new TreeMap<>();
        remedies.forEach(remedy -> all.putAll(remedy.retries()));
        return all;
    }

    @Override
    public RemedyReport check(RemedyInput input) {
        RemedyReport report = RemedyReport.NONE;
        for (StackRemedy remedy : remedies) {
            report = report.plus(remedy.check(input));
        }
        return report;
    }
}
