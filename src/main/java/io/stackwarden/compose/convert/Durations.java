package io.stackwarden.compose.convert;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Map;

/**
 * Go {@code time.ParseDuration} syntax ("1m30s", "1.5h", "300ms", "0"), which both the compose
 * loader and the golden model use. The Engine API wants integer nanoseconds.
 */
final class Durations {

    private static final Map<String, Long> UNIT_NANOS = Map.of(
            "ns", 1L,
            "us", 1_000L,
            "\u00b5s", 1_000L,
            "\u03bcs", 1_000L,
            "ms", 1_000_000L,
            "s", 1_000_000_000L,
            "m", 60_000_000_000L,
            "h", 3_600_000_000_000L);

    private static final BigInteger MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private Durations() {
    }

    /** Nanoseconds of {@code parent.key}, or null when unset. */
    static Long nanos(JsonNode parent, String key, String where) {
        if (!Fields.has(parent, key)) {
            return null;
        }
        JsonNode node = parent.get(key);
        if (!node.isTextual()) {
            throw new ConvertException(where + key + ": invalid duration " + node + " (expected a string like \"10s\")");
        }
        try {
            return parse(node.textValue());
        } catch (IllegalArgumentException e) {
            throw new ConvertException(where + key + ": " + e.getMessage());
        }
    }

    static long parse(String text) {
        String s = text;
        boolean negative = false;
        if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
            negative = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return 0;
        }
        if (s.isEmpty()) {
            throw invalid(text);
        }
        BigInteger total = BigInteger.ZERO;
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            String number = s.substring(start, i);
            if (number.isEmpty() || number.equals(".") || number.indexOf('.') != number.lastIndexOf('.')) {
                throw invalid(text);
            }
            int unitStart = i;
            while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
                i++;
            }
            String unit = s.substring(unitStart, i);
            if (unit.isEmpty()) {
                throw new IllegalArgumentException("missing unit in duration \"" + text + "\"");
            }
            Long unitNanos = UNIT_NANOS.get(unit);
            if (unitNanos == null) {
                throw new IllegalArgumentException("unknown unit \"" + unit + "\" in duration \"" + text + "\"");
            }
            BigDecimal value = new BigDecimal(number.startsWith(".") ? "0" + number : number);
            total = total.add(value.multiply(BigDecimal.valueOf(unitNanos)).setScale(0, RoundingMode.DOWN)
                    .toBigInteger());
            if (total.compareTo(MAX) > 0) {
                throw new IllegalArgumentException("invalid duration \"" + text + "\": out of range");
            }
        }
        long nanos = total.longValueExact();
        return negative ? -nanos : nanos;
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("invalid duration \"" + text + "\"");
    }
}
