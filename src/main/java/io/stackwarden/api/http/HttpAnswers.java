package io.stackwarden.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackwarden.api.ApiError;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;

/**
 * Answers given by the Vert.x routes of this package, before any resource runs: the same JSON body as
 * every API error. The rest of the request is never read, so an HTTP/1 connection is closed after the
 * answer (an HTTP/2 stream is reset by Vert.x instead; its connection serves other streams).
 */
final class HttpAnswers {

    private HttpAnswers() {
    }

    static void refuse(RoutingContext context, ObjectMapper json, int status, String message) {
        HttpServerResponse response = context.response();
        if (response.ended() || response.closed()) {
            return;
        }
        String body;
        try {
            body = json.writeValueAsString(new ApiError(status, message));
        } catch (JsonProcessingException e) {
            body = "{}";
        }
        boolean http1 = context.request().version() != HttpVersion.HTTP_2;
        response.setStatusCode(status).putHeader("Content-Type", "application/json");
        if (http1) {
            response.putHeader("Connection", "close");
        }
        response.end(body).onComplete(done -> {
            if (http1) {
                context.request().connection().close();
            }
        });
    }
}
