package io.stackwarden.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.math.BigInteger;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typing of plain (unquoted) YAML scalars as go-yaml v3 resolves them when decoding into {@code any}:
 * only {@code true/True/TRUE/false/...} are booleans ({@code yes}, {@code on} stay strings), integers
 * follow Go's base-prefix rules ({@code 0x1F}, {@code 0o17}, {@code 0b1}, legacy octal {@code 0440}),
 * underscores are ignored in numbers, there is no base 60 ({@code 22:22} is a string), and
 * timestamps become Go {@code time.Time} values (kept here as the text {@code fmt.Sprint} prints).
 */
final class GoYamlScalars {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final Pattern YAML_FLOAT = Pattern.compile("^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$");
    private static final Pattern TIMESTAMP = Pattern.compile(
            "^(\\d{4})-(\\d{1,2})-(\\d{1,2})(?:([Tt]| )(\\d{1,2}):(\\d{1,2}):(\\d{1,2})(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})?)?$");
    private static final BigInteger MAX_UINT64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private static final Map<String, JsonNode> WORDS = Map.ofEntries(
            Map.entry("true", JSON.booleanNode(true)), Map.entry("True", JSON.booleanNode(true)),
            Map.entry("TRUE", JSON.booleanNode(true)), Map.entry("false", JSON.booleanNode(false)),
            Map.entry("False", JSON.booleanNode(false)), Map.entry("FALSE", JSON.booleanNode(false)),
            Map.entry("", JSON.nullNode()), Map.entry("~", JSON.nullNode()), Map.entry("null", JSON.nullNode()),
            Map.entry("Null", JSON.nullNode()), Map.entry("NULL", JSON.nullNode()),
            Map.entry(".nan", JSON.numberNode(Double.NaN)), Map.entry(".NaN", JSON.numberNode(Double.NaN)),
            Map.entry(".NAN", JSON.numberNode(Double.NaN)),
            Map.entry(".inf", JSON.numberNode(Double.POSITIVE_INFINITY)),
            Map.entry(".Inf", JSON.numberNode(Double.POSITIVE_INFINITY)),
            Map.entry(".INF", JSON.numberNode(Double.POSITIVE_INFINITY)),
            Map.entry("+.inf", JSON.numberNode(Double.POSITIVE_INFINITY)),
            Map.entry("+.Inf", JSON.numberNode(Double.POSITIVE_INFINITY)),
            Map.entry("+.INF", JSON.numberNode(Double.POSITIVE_INFINITY)),
            Map.entry("-.inf", JSON.numberNode(Double.NEGATIVE_INFINITY)),
            Map.entry("-.Inf", JSON.numberNode(Double.NEGATIVE_INFINITY)),
            Map.entry("-.INF", JSON.numberNode(Double.NEGATIVE_INFINITY)));

    private GoYamlScalars() {
    }

    static JsonNode resolve(String in) {
        JsonNode word = WORDS.get(in);
        if (word != null) {
            return word;
        }
        char c = in.charAt(0);
        if (c == '.') {
            Double d = goParseFloat(in);
            return d == null ? JSON.textNode(in) : JSON.numberNode(d);
        }
        if (!(c == '+' || c == '-' || (c >= '0' && c <= '9'))) {
            return JSON.textNode(in);
        }
        String ts = timestamp(in);
        if (ts != null) {
            return JSON.textNode(ts);
        }
        String plain = in.replace("_", "");
        BigInteger i = goParseInt(plain);
        if (i != null) {
            if (i.bitLength() <= 31) {
                return JSON.numberNode(i.intValue());
            }
            if (i.bitLength() <= 63) {
                return JSON.numberNode(i.longValue());
            }
            if (i.signum() > 0 && i.compareTo(MAX_UINT64) <= 0) {
                return JSON.numberNode(i);
            }
        }
        if (YAML_FLOAT.matcher(plain).matches()) {
            Double d = goParseFloat(plain);
            if (d != null) {
                return JSON.numberNode(d);
            }
        }
        return JSON.textNode(in);
    }

    /** {@code strconv.ParseInt(s, 0, 64)}-style parsing (range checked by the caller); null if not an integer. */
    static BigInteger goParseInt(String s) {
        if (s.isEmpty()) {
            return null;
        }
        boolean neg = false;
        int i = 0;
        if (s.charAt(0) == '+' || s.charAt(0) == '-') {
            neg = s.charAt(0) == '-';
            i = 1;
        }
        String body = s.substring(i);
        int radix = 10;
        if (body.length() > 1 && body.charAt(0) == '0') {
            char p = Character.toLowerCase(body.charAt(1));
            if (p == 'x') {
                radix = 16;
                body = body.substring(2);
            } else if (p == 'o') {
                radix = 8;
                body = body.substring(2);
            } else if (p == 'b') {
                radix = 2;
                body = body.substring(2);
            } else {
                radix = 8;
                body = body.substring(1);
            }
        }
        if (body.isEmpty() || !body.chars().allMatch(ch -> Character.digit(ch, 16) >= 0 && ch < 128)) {
            return null;
        }
        try {
            BigInteger v = new BigInteger(body, radix);
            v = neg ? v.negate() : v;
            if (v.bitLength() > 64 || (neg && v.bitLength() > 63 && !v.equals(BigInteger.ONE.shiftLeft(63).negate()))) {
                return null;
            }
            return v;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Double goParseFloat(String s) {
        if (!s.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
            return null;
        }
        return Double.parseDouble(s);
    }

    /** The Go {@code time.Time.String()} text of a YAML timestamp, or null if {@code in} is none. */
    static String timestamp(String in) {
        Matcher m = TIMESTAMP.matcher(in);
        if (!m.matches()) {
            return null;
        }
        int month = Integer.parseInt(m.group(2));
        int day = Integer.parseInt(m.group(3));
        if (month < 1 || month > 12 || day < 1 || day > 31) {
            return null;
        }
        String date = String.format("%s-%02d-%02d", m.group(1), month, day);
        if (m.group(4) == null) {
            return date + " 00:00:00 +0000 UTC";
        }
        boolean spaced = m.group(4).equals(" ");
        String zone = m.group(9);
        if (spaced == (zone != null)) {
            return null; // "T" needs a zone, " " takes none, as in go-yaml's layouts
        }
        int h = Integer.parseInt(m.group(5));
        int min = Integer.parseInt(m.group(6));
        int sec = Integer.parseInt(m.group(7));
        if (h > 23 || min > 59 || sec > 59) {
            return null;
        }
        String frac = m.group(8) == null ? "" : m.group(8).replaceAll("0+$", "");
        if (frac.equals(".")) {
            frac = "";
        }
        String time = String.format("%02d:%02d:%02d", h, min, sec) + frac;
        String z = (zone == null || zone.equals("Z") || zone.equals("+00:00")) ? "+0000 UTC"
                : zone.replace(":", "") + " " + zone.replace(":", "");
        return date + " " + time + " " + z;
    }
}
