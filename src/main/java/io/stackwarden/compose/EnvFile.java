package io.stackwarden.compose;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Env files as docker/cli reads them ({@code env_file:} entries, and the stack's {@code .env}): one
 * {@code KEY[=VALUE]} per line, leading whitespace and {@code #} comment lines skipped, a UTF-8 BOM dropped,
 * no quoting, escaping or interpolation (quotes and trailing spaces are part of the value). A key without
 * {@code =} takes its value from {@code lookup}, and is left out when the lookup has none. Errors never
 * quote a value.
 */
public final class EnvFile {

    /** Longest line the CLI's scanner accepts. */
    private static final int MAX_LINE = 64 * 1024;

    private EnvFile() {
    }

    /**
     * Parses {@code content}; {@code name} only labels errors. Keys keep their file order; a repeated key
     * keeps its last value.
     */
    public static Map<String, String> parse(String name, byte[] content, Function<String, Optional<String>> lookup)
            throws ComposeException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            throw new ComposeException(name, 0, "invalid env file (" + name + "): invalid utf8 bytes");
        }
        Map<String, String> out = new LinkedHashMap<>();
        String[] rows = text.split("\n", -1);
        int count = text.endsWith("\n") ? rows.length - 1 : rows.length;
        for (int i = 0; i < count; i++) {
            String row = rows[i];
            if (row.endsWith("\r")) {
                row = row.substring(0, row.length() - 1);
            }
            if (row.length() > MAX_LINE) {
                throw new ComposeException(name, i + 1, "invalid env file (" + name + "): line too long");
            }
            if (i == 0 && row.startsWith("\uFEFF")) {
                row = row.substring(1);
            }
            String line = stripLeading(row);
            if (line.isEmpty() || line.charAt(0) == '#') {
                continue;
            }
            int eq = line.indexOf('=');
            String key = eq < 0 ? line : line.substring(0, eq);
            if (key.isEmpty()) {
                // The line itself is never quoted: it may hold a secret.
                throw new ComposeException(name, i + 1, "invalid env file (" + name + "): no variable name on line "
                        + (i + 1));
            }
            if (key.indexOf(' ') >= 0 || key.indexOf('\t') >= 0) {
                throw new ComposeException(name, i + 1, "invalid env file (" + name + "): "
                        + (eq < 0 ? "line " + (i + 1) + " has no '=' and" : "variable '" + key + "'")
                        + " contains whitespaces");
            }
            if (eq >= 0) {
                out.remove(key);
                out.put(key, line.substring(eq + 1));
            } else {
                Optional<String> v = lookup.apply(key);
                if (v.isPresent()) {
                    out.remove(key);
                    out.put(key, v.get());
                }
            }
        }
        return out;
    }

    /** Go's unicode.IsSpace set, as the CLI trims it. */
    private static String stripLeading(String s) {
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\u000b' || c == '\f' || c == '\r' || c == '\u0085'
                    || c == '\u00a0' || Character.isSpaceChar(c)) {
                i++;
            } else {
                break;
            }
        }
        return s.substring(i);
    }
}
