package io.stackwarden.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** POSTs one JSON body and judges the answer: 2xx arrived; 408, 429, 5xx and no answer are worth a retry. */
public final class HttpPoster {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client;
    private final Duration timeout;

    public HttpPoster(Duration timeout) {
        this.timeout = timeout;
        // Redirects are not followed: a POST would be re-sent, with its credentials, to wherever the answer points.
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** The exact bytes a body is sent as (what a signature covers). */
    public static byte[] bytes(JsonNode body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings always serializes", e);
        }
    }

    public void post(URI uri, Map<String, String> headers, byte[] body) throws DeliveryFailure {
        HttpRequest request;
        try {
            HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(timeout)
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "Stackwarden")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            headers.forEach(builder::header);
            request = builder.build();
        } catch (IllegalArgumentException e) {
            // The JDK's message quotes the URL or the header value: either may be the secret (a token file with a line break).
            throw new DeliveryFailure("no request sent: the URL has no host, or a token holds characters a header cannot carry",
                    false);
        }
        int status;
        try {
            status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            // The exception's class says enough; its message may quote the address.
            throw new DeliveryFailure("no answer (" + e.getClass().getSimpleName() + ")", true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryFailure("interrupted", false);
        }
        if (status / 100 == 2) {
            return;
        }
        throw new DeliveryFailure("answered HTTP " + status, status == 408 || status == 429 || status >= 500);
    }
}
