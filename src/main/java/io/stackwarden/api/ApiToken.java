package io.stackwarden.api;

import io.stackwarden.compose.InputFile;
import io.stackwarden.config.StackwardenConfig;
import io.stackwarden.support.ConstantTime;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Bearer-token check of the API. Mutating calls always need the token (without a token file they are
 * disabled); read-only calls need it when one is configured and {@code stackwarden.api.read-requires-token}
 * is on (the default), so the list of stacks is not public. The token file is read on every check, so a
 * rotated Docker secret takes effect without a restart; the comparison takes constant time.
 */
@Singleton
public class ApiToken {

    @Inject
    StackwardenConfig config;

    /** For a mutating call: empty when the request may proceed; otherwise the 401 to answer. */
    public Optional<Response> refuse(HttpHeaders headers) {
        Optional<byte[]> expected = expected();
        if (expected.isEmpty()) {
            return Optional.of(ApiError.of(Response.Status.UNAUTHORIZED,
                    "mutating endpoints are disabled: no token file is configured (stackwarden.api.token-file)"));
        }
        return check(expected.get(), headers);
    }

    /** For a read-only call: empty when the request may proceed; otherwise the 401 to answer. */
    public Optional<Response> refuseRead(HttpHeaders headers) {
        if (!config.api().readRequiresToken()) {
            return Optional.empty();
        }
        return expected().flatMap(expected -> check(expected, headers));
    }

    private static Optional<Response> check(byte[] expected, HttpHeaders headers) {
        String header = headers.getHeaderString(HttpHeaders.AUTHORIZATION);
        byte[] given = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? header.substring(7).trim().getBytes(StandardCharsets.UTF_8) : new byte[0];
        if (given.length == 0 || !ConstantTime.sameSecret(expected, given)) {
            return Optional.of(ApiError.of(Response.Status.UNAUTHORIZED, "missing or wrong bearer token"));
        }
        return Optional.empty();
    }

    private Optional<byte[]> expected() {
        return config.api().tokenFile().flatMap(file -> {
            try {
                String token = InputFile.credential(file, "stackwarden.api.token-file");
                return token.isEmpty() ? Optional.empty() : Optional.of(token.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                return Optional.empty();
            }
        });
    }
}
