package io.stackwarden.support;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConstantTimeTest {

    /** GitHub's documented test values for X-Hub-Signature-256 (docs "Validating webhook deliveries"). */
    static final byte[] SECRET = "It's a Secret to Everybody".getBytes(StandardCharsets.UTF_8);
    static final byte[] PAYLOAD = "Hello, World!".getBytes(StandardCharsets.UTF_8);
    static final String HMAC = "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

    @Test
    void hmacMatchesGitHubsDocumentedVectorInEitherCase() {
        assertTrue(ConstantTime.sameHmacSha256(SECRET, PAYLOAD, HMAC));
        assertTrue(ConstantTime.sameHmacSha256(SECRET, PAYLOAD, HMAC.toUpperCase()));
    }

    @Test
    void hmacOfAnotherBodyOrKeyOrATruncatedOrLongerSignatureDoesNotMatch() {
        assertFalse(ConstantTime.sameHmacSha256(SECRET, "Hello, World?".getBytes(StandardCharsets.UTF_8), HMAC));
        assertFalse(ConstantTime.sameHmacSha256("another".getBytes(StandardCharsets.UTF_8), PAYLOAD, HMAC));
        assertFalse(ConstantTime.sameHmacSha256(SECRET, PAYLOAD, HMAC.substring(0, 62)));
        assertFalse(ConstantTime.sameHmacSha256(SECRET, PAYLOAD, HMAC + "00"));
        assertFalse(ConstantTime.sameHmacSha256(SECRET, PAYLOAD, ""));
    }

    @Test
    void hmacSignatureThatIsNotHexIsNoMatchRatherThanAnError() {
        assertFalse(ConstantTime.sameHmacSha256(SECRET, PAYLOAD, "zz" + HMAC.substring(2)));
        assertFalse(ConstantTime.sameHmacSha256(SECRET, PAYLOAD, HMAC.substring(1)));
    }

    @Test
    void secretsCompareByContentWhateverTheirLengths() {
        byte[] token = "s3cr3t-token".getBytes(StandardCharsets.UTF_8);
        assertTrue(ConstantTime.sameSecret(token, "s3cr3t-token".getBytes(StandardCharsets.UTF_8)));
        assertFalse(ConstantTime.sameSecret(token, "s3cr3t-toke".getBytes(StandardCharsets.UTF_8)));
        assertFalse(ConstantTime.sameSecret(token, "s3cr3t-token-and-more".getBytes(StandardCharsets.UTF_8)));
        assertFalse(ConstantTime.sameSecret(token, new byte[0]));
    }
}
