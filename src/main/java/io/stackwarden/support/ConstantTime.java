package io.stackwarden.support;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Comparisons of secrets and signatures whose duration reveals nothing an attacker could use: not the
 * contents, and not how long the expected value is.
 */
public final class ConstantTime {

    private ConstantTime() {
    }

    /** Whether {@code given} equals {@code expected}; both are hashed first, so their lengths do not matter. */
    public static boolean sameSecret(byte[] expected, byte[] given) {
        return MessageDigest.isEqual(sha256(expected), sha256(given));
    }

    /** HMAC-SHA256 of {@code data} under {@code key}. */
    public static byte[] hmacSha256(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    }

    /**
     * Whether {@code hex} (either case) is the HMAC-SHA256 of {@code data} under {@code key}. Anything
     * that is not hexadecimal is simply not the signature.
     */
    public static boolean sameHmacSha256(byte[] key, byte[] data, String hex) {
        byte[] given;
        try {
            given = HexFormat.of().parseHex(hex.trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
        // The expected MAC goes first: isEqual's time depends only on the first argument's (fixed) length.
        return MessageDigest.isEqual(hmacSha256(key, data), given);
    }

    private static byte[] sha256(byte[] value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
