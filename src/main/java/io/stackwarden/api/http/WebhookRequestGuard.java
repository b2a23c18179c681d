package io.stackwarden.api.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.stackwarden.api.webhook.WebhookReceiver;
import io.stackwarden.config.StackwardenConfig;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Bounds what a webhook request may cost before its resource runs. The resource itself is non-blocking,
 * so Quarkus REST collects the body on the event loop (up to {@code quarkus.rest.input-buffer-size})
 * and no worker thread waits for a slow client; this route adds what Quarkus REST lacks: a body whose
 * declared length is over {@code stackwarden.webhooks.max-body} is refused at once, unread (the client
 * may be waiting for a {@code 100 Continue} or simply never send it), and a body not received within
 * {@code stackwarden.webhooks.body-timeout} gets 408 and its connection closed.
 */
@Singleton
public class WebhookRequestGuard {

    /** Before Quarkus REST, after the per-client limit. */
    static final int ORDER = RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT;

    @Inject
    StackwardenConfig config;
    @Inject
    ObjectMapper json;

    void install(@Observes Router router) {
        long maxBody = config.webhooks().maxBody().asLongValue();
        long timeoutMillis = Math.max(1, config.webhooks().bodyTimeout().toMillis());
        router.post("/api/v1/webhooks/*").order(ORDER).handler(context -> guard(context, maxBody, timeoutMillis));
    }

    private void guard(RoutingContext context, long maxBody, long timeoutMillis) {
        if (declaredLength(context) > maxBody) {
            HttpAnswers.refuse(context, json, 413, WebhookReceiver.tooLargeMessage(maxBody));
            return;
        }
        if (!context.request().isEnded()) {
            long timer = context.vertx().setTimer(timeoutMillis, id -> {
                if (!context.request().isEnded()) {
                    HttpAnswers.refuse(context, json, 408, "the body was not received within " + timeoutMillis
                            + " ms (stackwarden.webhooks.body-timeout)");
                }
            });
            context.addEndHandler(done -> context.vertx().cancelTimer(timer));
        }
        context.next();
    }

    private static long declaredLength(RoutingContext context) {
        String header = context.request().getHeader("Content-Length");
        try {
            return header == null ? -1 : Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
