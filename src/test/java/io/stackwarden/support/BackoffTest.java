package io.stackwarden.support;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackoffTest {

    @Test
    void doublesFromInitialUpToTheCap() {
        Backoff topOfRange = new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(30), () -> 1.0);
        assertEquals(2, topOfRange.delay(0).toSeconds());
        assertEquals(4, topOfRange.delay(1).toSeconds());
        assertEquals(16, topOfRange.delay(3).toSeconds());
        assertEquals(30, topOfRange.delay(4).toSeconds());
        assertEquals(30, topOfRange.delay(1000).toSeconds());
    }

    @Test
    void jitterStaysWithinTheUpperHalf() {
        Backoff bottomOfRange = new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(30), () -> 0.0);
        assertEquals(Duration.ofSeconds(1), bottomOfRange.delay(0));
        assertEquals(Duration.ofSeconds(15), bottomOfRange.delay(99));
        Backoff random = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1));
        for (int i = 0; i < 1000; i++) {
            long millis = random.delay(i % 6).toMillis();
            assertTrue(millis >= 50 && millis <= 1000, "delay " + millis);
        }
    }

    @Test
    void rejectsAnInvertedRange() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(5), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)));
    }
}
