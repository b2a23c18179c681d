package io.stackwarden.compose;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The time limit of a stack's load, which the hostile-input suite cannot reach with files under the caps. */
class LoadBudgetTest {

    @Test
    void aLoadPastItsTimeStopsWithTheFileAndLine() {
        byte[] yaml = ("x: [" + "1,".repeat(5000) + "1]\n").getBytes(StandardCharsets.UTF_8);
        ComposeException e = assertThrows(ComposeException.class,
                () -> YamlReader.read("shop/compose.yaml", yaml, new LoadBudget(Duration.ZERO)));
        assertEquals("shop/compose.yaml", e.file());
        assertEquals(1, e.line());
        assertEquals("loading the stack took longer than 0 s", e.reason());
    }
}
