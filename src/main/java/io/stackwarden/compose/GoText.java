package io.stackwarden.compose;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.Map;

/**
 * Go's text conversions the CLI relies on, so values come out byte-for-byte the same:
 * {@code fmt.Sprint} of decoded YAML values, {@code time.ParseDuration}/{@code Duration.String},
 * and go-units' {@code RAMInBytes}.
 */
final class GoText {

    private GoText() {
    }

    /** {@code fmt.Sprint(v)} for a value decoded from YAML. */
    static String sprint(JsonNode v) {
        if (v == null || v.isNull()) {
            return "<nil>";
        }
        if (v.isTextual()) {
            return v.textValue();
        }
        if (v.isBoolean()) {
            return Boolean.toString(v.booleanValue());
        }
        if (v.isIntegralNumber()) {
            return v.bigIntegerValue().toString();
        }
        if (v.isFloatingPointNumber()) {
            return formatFloat(v.doubleValue());
        }
        StringBuilder b = new StringBuilder();
        if (v.isArray()) {
            b.append('[');
            for (int i = 0; i < v.size(); i++) {
                b.append(i == 0 ? "" : " ").append(sprint(v.get(i)));
            }
            return b.append(']').toString();
        }
        b.append("map[");
        boolean first = true;
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            b.append(first ? "" : " ").append(e.getKey()).append(':').append(sprint(e.getValue()));
            first = false;
        }
        return b.append(']').toString();
    }

    /** Go's {@code %v} of a float64 ('g', shortest): exponent form when the exponent is below -4 or at least 6. */
    static String formatFloat(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "+Inf" : "-Inf";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0" : "0";
        }
        BigDecimal bd = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        String digits = bd.unscaledValue().toString();
        int exp = digits.length() - 1 - bd.scale(); // decimal exponent of the first digit
        String sign = d < 0 ? "-" : "";
        if (exp >= -4 && exp < 6) {
            return sign + bd.toPlainString();
        }
        String mant = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        String es = Integer.toString(Math.abs(exp));
        return sign + mant + "e" + (exp < 0 ? "-" : "+") + (es.length() < 2 ? "0" + es : es);
    }

    private static final long NS = 1, US = 1000, MS = 1_000_000, S = 1_000_000_000L, M = 60 * S, H = 60 * M;

    /** {@code time.ParseDuration}; returns nanoseconds or throws IllegalArgumentException with Go's meaning. */
    static long parseDuration(String s) {
        String orig = s;
        if (s.isEmpty()) {
            throw new IllegalArgumentException("time: invalid duration \"" + orig + "\"");
        }
        boolean neg = false;
        if (s.charAt(0) == '-' || s.charAt(0) == '+') {
            neg = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return 0;
        }
        if (s.isEmpty()) {
            throw new IllegalArgumentException("time: invalid duration \"" + orig + "\"");
        }
        BigDecimal total = BigDecimal.ZERO;
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && Character.isDigit(s.charAt(i)) && s.charAt(i) < 128) {
                i++;
            }
            boolean pre = i > start;
            String num = s.substring(start, i);
            boolean post = false;
            if (i < s.length() && s.charAt(i) == '.') {
                i++;
                int fs = i;
                while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                    i++;
                }
                post = i > fs;
                num = num + "." + s.substring(fs, i);
            }
            if (!pre && !post) {
                throw new IllegalArgumentException("time: invalid duration \"" + orig + "\"");
            }
            int us = i;
            while (i < s.length() && s.charAt(i) != '.' && !(s.charAt(i) >= '0' && s.charAt(i) <= '9')) {
                i++;
            }
            String unit = s.substring(us, i);
            if (unit.isEmpty()) {
                throw new IllegalArgumentException("time: missing unit in duration \"" + orig + "\"");
            }
            long mult = switch (unit) {
                case "ns" -> NS;
                case "us", "\u00b5s", "\u03bcs" -> US;
                case "ms" -> MS;
                case "s" -> S;
                case "m" -> M;
                case "h" -> H;
                default -> throw new IllegalArgumentException(
                        "time: unknown unit \"" + unit + "\" in duration \"" + orig + "\"");
            };
            BigDecimal n = new BigDecimal(num.startsWith(".") ? "0" + num : num.endsWith(".") ? num + "0" : num);
            total = total.add(n.multiply(BigDecimal.valueOf(mult)));
        }
        BigInteger ns = total.toBigInteger();
        if (ns.bitLength() > 63) {
            throw new IllegalArgumentException("time: invalid duration \"" + orig + "\"");
        }
        return neg ? -ns.longValue() : ns.longValue();
    }

    /** Go's {@code time.Duration.String()}: "1m0s", "1.5s", "100ms", "0s". */
    static String formatDuration(long d) {
        if (d == 0) {
            return "0s";
        }
        boolean neg = d < 0;
        BigInteger u = BigInteger.valueOf(d).abs();
        StringBuilder out = new StringBuilder();
        if (u.compareTo(BigInteger.valueOf(S)) < 0) {
            long v = u.longValue();
            if (v < US) {
                out.append(v).append("ns");
            } else if (v < MS) {
                out.append(frac(v, 3)).append("\u00b5s");
            } else {
                out.append(frac(v, 6)).append("ms");
            }
        } else {
            BigInteger[] secs = u.divideAndRemainder(BigInteger.valueOf(S));
            long totalSec = secs[0].longValue();
            String fraction = fracDigits(secs[1].longValue(), 9);
            long sec = totalSec % 60;
            long min = totalSec / 60;
            out.insert(0, sec + fraction + "s");
            if (min > 0) {
                out.insert(0, (min % 60) + "m");
                long h = min / 60;
                if (h > 0) {
                    out.insert(0, h + "h");
                }
            }
        }
        return (neg ? "-" : "") + out;
    }

    private static String frac(long v, int prec) {
        long p = (long) Math.pow(10, prec);
        return (v / p) + fracDigits(v % p, prec);
    }

    private static String fracDigits(long rem, int prec) {
        if (rem == 0) {
            return "";
        }
        String s = String.format("%0" + prec + "d", rem).replaceAll("0+$", "");
        return "." + s;
    }

    /** go-units {@code RAMInBytes}: "50M" is 50 MiB; decimal fractions allowed; negative refused. */
    static long ramInBytes(String sizeStr) {
        int sep = -1;
        for (int i = sizeStr.length() - 1; i >= 0; i--) {
            if ("01234567890. ".indexOf(sizeStr.charAt(i)) >= 0) {
                sep = i;
                break;
            }
        }
        if (sep == -1) {
            throw new IllegalArgumentException("invalid size: '" + sizeStr + "'");
        }
        String num;
        String sfx;
        if (sizeStr.charAt(sep) != ' ') {
            num = sizeStr.substring(0, sep + 1);
            sfx = sizeStr.substring(sep + 1);
        } else {
            num = sizeStr.substring(0, sep);
            sfx = sizeStr.substring(sep + 1);
        }
        double size;
        if (!num.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
            throw new IllegalArgumentException("strconv.ParseFloat: parsing \"" + num + "\": invalid syntax");
        }
        size = Double.parseDouble(num);
        if (size < 0) {
            throw new IllegalArgumentException("invalid size: '" + sizeStr + "'");
        }
        if (sfx.isEmpty()) {
            return (long) size;
        }
        String bad = "invalid suffix: '" + sfx.toLowerCase() + "'";
        if (sfx.length() > 3) {
            throw new IllegalArgumentException("invalid suffix: '" + sfx + "'");
        }
        sfx = sfx.toLowerCase();
        if (sfx.charAt(0) == 'b') {
            if (sfx.length() > 1) {
                throw new IllegalArgumentException(bad);
            }
            return (long) size;
        }
        long mul = switch (sfx.charAt(0)) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            case 't' -> 1L << 40;
            case 'p' -> 1L << 50;
            default -> throw new IllegalArgumentException(bad);
        };
        if (sfx.length() == 2 && sfx.charAt(1) != 'b' || sfx.length() == 3 && !sfx.substring(1).equals("ib")) {
            throw new IllegalArgumentException(bad);
        }
        return (long) (size * mul);
    }
}
