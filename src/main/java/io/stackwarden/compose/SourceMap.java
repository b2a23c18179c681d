package io.stackwarden.compose;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Lines of the YAML nodes of one file, keyed by their path in the document, so errors found later on
 * the plain JSON tree (interpolation, schema, model) can still name the line.
 */
final class SourceMap {

    private final String file;
    private final Map<String, Integer> lines = new HashMap<>();

    SourceMap(String file) {
        this.file = file;
    }

    String file() {
        return file;
    }

    void put(List<String> path, int line) {
        lines.putIfAbsent(key(path), line);
    }

    /** Line of the node at {@code path}, or of its nearest known ancestor; 0 if none. */
    int line(List<String> path) {
        for (int n = path.size(); n >= 0; n--) {
            Integer line = lines.get(key(path.subList(0, n)));
            if (line != null) {
                return line;
            }
        }
        return 0;
    }

    ComposeException error(List<String> path, String reason) {
        return new ComposeException(file, line(path), reason);
    }

    private static String key(List<String> path) {
        return String.join("\u001f", path);
    }

    /** Path as the CLI prints it in messages: {@code services.web.ports.0}. */
    static String dotted(List<String> path) {
        return String.join(".", path);
    }
}
