package io.stackwarden.compose.convert;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Locale;

/**
 * Memory sizes and CPU counts as the CLI parses them: sizes with go-units {@code RAMInBytes}
 * (binary multipliers, "512m" = 512 MiB, fractions truncated), CPUs as an exact rational number
 * of CPUs turned into integer nano-CPUs (so "0.0000000001" is rejected as too precise).
 */
final class Quantities {

    private Quantities() {
    }

    /** Bytes of {@code parent.key} (a number, or a size string), or null when unset. */
    static Long bytes(JsonNode parent, String key, String where) {
        if (!Fields.has(parent, key)) {
            return null;
        }
        JsonNode node = parent.get(key);
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (!node.isTextual()) {
            throw new ConvertException(where + key + ": invalid size " + node);
        }
        try {
            return ramInBytes(node.textValue());
        } catch (IllegalArgumentException e) {
            throw new ConvertException(where + key + ": " + e.getMessage());
        }
    }

    static long ramInBytes(String text) {
        int sep = -1;
        for (int i = text.length() - 1; i >= 0; i--) {
            char c = text.charAt(i);
            if (Character.isDigit(c) || c == '.' || c == ' ') {
                sep = i;
                break;
            }
        }
        if (sep == -1) {
            throw new IllegalArgumentException("invalid size \"" + text + "\"");
        }
        String number = text.charAt(sep) == ' ' ? text.substring(0, sep) : text.substring(0, sep + 1);
        String suffix = text.substring(sep + 1).toLowerCase(Locale.ROOT);
        double size;
        try {
            size = Double.parseDouble(number);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid size \"" + text + "\"");
        }
        if (size < 0 || number.chars().anyMatch(c -> c != '.' && !Character.isDigit(c))) {
            throw new IllegalArgumentException("invalid size \"" + text + "\"");
        }
        if (suffix.isEmpty() || suffix.equals("b")) {
            return (long) size;
        }
        int power = "kmgtp".indexOf(suffix.charAt(0)) + 1;
        boolean suffixOk = power > 0 && suffix.length() <= 3
                && (suffix.length() == 1 || suffix.substring(1).equals("b") || suffix.substring(1).equals("ib"));
        if (!suffixOk) {
            throw new IllegalArgumentException("invalid suffix \"" + suffix + "\" in size \"" + text + "\"");
        }
        return (long) (size * Math.pow(1024, power));
    }

    /** Nano-CPUs of {@code parent.key} (e.g. "0.5"), or null when unset or empty. */
    static Long nanoCpus(JsonNode parent, String key, String where) {
        String text = Fields.text(parent, key, where);
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return parseNanoCpus(text);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new ConvertException(where + key + ": invalid cpus \"" + text + "\": " + e.getMessage());
        }
    }

    static long parseNanoCpus(String text) {
        BigDecimal cpus;
        int slash = text.indexOf('/');
        BigDecimal billion = BigDecimal.valueOf(1_000_000_000L);
        BigDecimal nanos;
        try {
            if (slash >= 0) {
                BigInteger numerator = new BigInteger(text.substring(0, slash));
                BigInteger denominator = new BigInteger(text.substring(slash + 1));
                BigInteger[] division = numerator.multiply(billion.toBigInteger()).divideAndRemainder(denominator);
                if (division[1].signum() != 0) {
                    throw new IllegalArgumentException("value is too precise");
                }
                nanos = new BigDecimal(division[0]);
            } else {
                cpus = new BigDecimal(text);
                nanos = cpus.multiply(billion);
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a rational number");
        }
        if (nanos.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException("value is too precise");
        }
        return nanos.toBigIntegerExact().longValueExact();
    }
}
