package io.stackwarden.compose.convert;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Set;

/**
 * The short volume syntax {@code [source:]target[:options]}, read like the CLI's loader: a source
 * starting with '.', '/' or '~' (or a Windows drive / pipe) is a bind, anything else a named volume,
 * no source an anonymous volume; options are ro, rw, nocopy and a bind propagation, others ignored.
 * Relative paths are not resolved here: that is the loader's job.
 */
final class ShortVolume {

    private static final Set<String> PROPAGATIONS = Set.of("rprivate", "private", "rshared", "shared", "rslave", "slave");

    private ShortVolume() {
    }

    static ObjectNode parse(String spec, String where) {
        ObjectNode volume = Json.object();
        if (spec.isEmpty()) {
            throw new ConvertException(where + "invalid empty volume spec");
        }
        if (spec.length() <= 2) {
            volume.put("type", "volume");
            volume.put("target", spec);
            return volume;
        }
        String source = null;
        String target = null;
        StringBuilder buffer = new StringBuilder();
        String input = spec + '\0';
        for (int i = 0; i < input.length(); i++) {
            char c = input.charAt(i);
            boolean end = c == '\0';
            if (c == ':' && buffer.length() == 1 && Character.isLetter(buffer.charAt(0))) {
                buffer.append(c); // Windows drive letter
                continue;
            }
            if (c != ':' && !end) {
                buffer.append(c);
                continue;
            }
            String part = buffer.toString();
            buffer.setLength(0);
            if (part.isEmpty()) {
                throw new ConvertException(where + "invalid spec: " + spec + ": empty section between colons");
            }
            if (source == null && end) {
                target = part;
            } else if (source == null) {
                source = part;
            } else if (target == null) {
                target = part;
            } else if (!end) {
                throw new ConvertException(where + "invalid spec: " + spec + ": too many colons");
            } else {
                applyOptions(volume, part);
            }
        }
        if (source != null) {
            volume.put("source", source);
        }
        volume.put("target", target);
        volume.put("type", source == null || !isFilePath(source) ? "volume" : "bind");
        return volume;
    }

    private static void applyOptions(ObjectNode volume, String options) {
        for (String option : options.split(",")) {
            switch (option) {
                case "ro" -> volume.put("read_only", true);
                case "rw" -> volume.remove("read_only");
                case "nocopy" -> volume.putObject("volume").put("nocopy", true);
                default -> {
                    if (PROPAGATIONS.contains(option)) {
                        volume.putObject("bind").put("propagation", option);
                    }
                }
            }
        }
    }

    private static boolean isFilePath(String source) {
        char first = source.charAt(0);
        if (first == '.' || first == '/' || first == '~') {
            return true;
        }
        if (source.length() == 1) {
            return false;
        }
        return source.startsWith("\\\\") || (Character.isLetter(first) && source.charAt(1) == ':');
    }
}
