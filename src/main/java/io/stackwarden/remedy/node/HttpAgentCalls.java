package io.stackwarden.remedy.node;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackwarden.agent.ActionRequest;
import io.stackwarden.agent.ActionResult;
import io.stackwarden.agent.AgentAction;
import io.stackwarden.agent.AgentToken;
import io.stackwarden.agent.Candidates;
import io.stackwarden.agent.CandidatesRequest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** {@link AgentCalls} over HTTP with the shared token, read from its file for every call. */
public final class HttpAgentCalls implements AgentCalls {

    private static final int EXCERPT = 200;

    private final AgentToken token;
    private final Duration timeout;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** @param timeout the longest one call may take (a shim kill starts a helper container and waits for the engine) */
    public HttpAgentCalls(AgentToken token, Duration timeout) {
        this.token = token;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @Override
    public ActionResult act(URI agent, AgentAction action, ActionRequest request) {
        return post(agent, action, request, ActionResult.class);
    }

    @Override
    public Candidates candidates(URI agent, CandidatesRequest request) {
        return post(agent, AgentAction.LIST_LEFTOVER_CANDIDATES, request, Candidates.class);
    }

    private <T> T post(URI agent, AgentAction action, Object body, Class<T> answer) {
        String what = action.label() + " at " + agent;
        HttpResponse<byte[]> response;
        try {
            HttpRequest request = HttpRequest.newBuilder(agent.resolve(action.path())).timeout(timeout)
                    .header("Authorization", "Bearer " + token.read())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body))).build();
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new Unavailable(what + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            // The JDK's message quotes the header's value: the token.
            throw new Unavailable(what + ": the agent token file holds characters a header cannot carry (a line break?)", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable(what + ": interrupted", e);
        }
        int status = response.statusCode();
        // 403 is a refusal: a typed result like any other.
        if (status != 200 && !(status == 403 && answer == ActionResult.class)) {
            String text = new String(response.body(), StandardCharsets.UTF_8);
            throw new Unavailable(what + ": HTTP " + status + (status == 401 ? " (the agent refused the token)" : "") + " "
                    + (text.length() <= EXCERPT ? text : text.substring(0, EXCERPT) + "..."), null);
        }
        try {
            return json.readValue(response.body(), answer);
        } catch (IOException e) {
            throw new Unavailable(what + ": unreadable answer: " + e.getMessage(), e);
        }
    }
}
