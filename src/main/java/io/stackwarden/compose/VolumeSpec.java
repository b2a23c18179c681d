package io.stackwarden.compose;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Set;

/**
 * Short volume syntax ({@code [source:]target[:options]}) parsed like the CLI: a source starting with
 * {@code .}, {@code /} or {@code ~} (or a Windows drive) is a bind mount, anything else a named volume;
 * options {@code ro}, {@code rw}, {@code nocopy} and bind propagations. It keeps the CLI's drive-letter
 * rule, so a one-letter volume name followed by a colon ({@code v:/data}) is read as a Windows path.
 */
final class VolumeSpec {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final Set<String> PROPAGATIONS = Set.of("rprivate", "private", "rshared", "shared", "rslave",
            "slave");

    private VolumeSpec() {
    }

    static ObjectNode parse(String spec) {
        String source = "";
        String target = "";
        boolean readOnly = false;
        boolean nocopy = false;
        String propagation = null;
        if (spec.isEmpty()) {
            throw new IllegalArgumentException("invalid empty volume spec");
        }
        int[] cps = spec.codePoints().toArray();
        if (cps.length <= 2) {
            ObjectNode v = JSON.objectNode();
            v.put("type", "volume");
            v.put("target", spec);
            return v;
        }
        StringBuilder buf = new StringBuilder();
        int bufLen = 0;
        for (int i = 0; i <= cps.length; i++) {
            int ch = i < cps.length ? cps[i] : 0;
            boolean end = i == cps.length;
            if (!end && ch == ':' && bufLen == 1 && Character.isLetter(buf.codePointAt(0))) {
                buf.appendCodePoint(ch);
                bufLen++;
                continue;
            }
            if (end || ch == ':') {
                String s = buf.toString();
                if (s.isEmpty()) {
                    throw new IllegalArgumentException("invalid spec: " + spec + ": empty section between colons");
                }
                if (source.isEmpty() && end) {
                    target = s;
                } else if (source.isEmpty()) {
                    source = s;
                } else if (target.isEmpty()) {
                    target = s;
                } else if (!end) {
                    throw new IllegalArgumentException("invalid spec: " + spec + ": too many colons");
                } else {
                    for (String option : s.split(",", -1)) {
                        switch (option) {
                            case "ro" -> readOnly = true;
                            case "rw" -> readOnly = false;
                            case "nocopy" -> nocopy = true;
                            default -> {
                                if (PROPAGATIONS.contains(option)) {
                                    propagation = option;
                                }
                            }
                        }
                    }
                }
                buf.setLength(0);
                bufLen = 0;
            } else {
                buf.appendCodePoint(ch);
                bufLen++;
            }
        }
        ObjectNode v = JSON.objectNode();
        v.put("type", isFilePath(source) ? "bind" : "volume");
        if (!source.isEmpty()) {
            v.put("source", source);
        }
        if (!target.isEmpty()) {
            v.put("target", target);
        }
        if (readOnly) {
            v.put("read_only", true);
        }
        if (propagation != null) {
            v.putObject("bind").put("propagation", propagation);
        }
        if (nocopy) {
            v.putObject("volume").put("nocopy", true);
        }
        return v;
    }

    private static boolean isFilePath(String source) {
        if (source.isEmpty()) {
            return false;
        }
        char c = source.charAt(0);
        if (c == '.' || c == '/' || c == '~') {
            return true;
        }
        int[] cps = source.codePoints().toArray();
        if (cps.length == 1) {
            return false;
        }
        if (source.startsWith("\\\\")) {
            return true;
        }
        return Character.isLetter(cps[0]) && cps[1] == ':';
    }
}
