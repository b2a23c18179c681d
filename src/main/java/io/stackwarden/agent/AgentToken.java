package io.stackwarden.agent;

import io.stackwarden.compose.InputFile;
import io.stackwarden.support.ConstantTime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The shared token of Stackwarden and its agents, from a Docker secret file. The file is read on every check
 * (a new secret reaches a new task anyway), the comparison takes constant time, and an empty or unreadable file
 * accepts nothing.
 */
public final class AgentToken {

    private final Path file;

    public AgentToken(Path file) {
        this.file = file;
    }

    /** The token, for the caller's own requests; fails with a message that names the file, never its content. */
    public String read() throws IOException {
        String token = InputFile.credential(file, "the agent token file " + file);
        if (token.isEmpty()) {
            throw new IOException("the agent token file " + file + " is empty");
        }
        return token;
    }

    /** Whether an {@code Authorization} header value carries the token. */
    public boolean accepts(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        try {
            return given.length > 0 && ConstantTime.sameSecret(read().getBytes(StandardCharsets.UTF_8), given);
        } catch (IOException e) {
            return false;
        }
    }
}
