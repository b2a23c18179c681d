package io.stackwarden.remedy.node;

import io.stackwarden.agent.ActionRequest;
import io.stackwarden.agent.AgentAction;
import io.stackwarden.agent.AgentToken;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The calls to the agents as they fail before anything is sent: never with the token in the message. */
class HttpAgentCallsTest {

    private static final String TOKEN = "agent-secret-0123456789";

    @TempDir
    Path dir;

    @Test
    void aTokenThatNoHeaderCanCarryFailsTheCallWithoutQuotingIt() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), TOKEN + "\nsecond-line\n");
        HttpAgentCalls calls = new HttpAgentCalls(new AgentToken(file), Duration.ofSeconds(5));

        AgentCalls.Unavailable failure = assertThrows(AgentCalls.Unavailable.class, () -> calls.act(
                URI.create("http://127.0.0.1:9"), AgentAction.KILL_SHIM, new ActionRequest("shop", "1".repeat(64),
                        "t".repeat(25), "stuck", "test")));

        assertFalse(failure.getMessage().contains(TOKEN), failure.getMessage());
        assertTrue(failure.getMessage().contains("agent token file"), failure.getMessage());
    }
}
