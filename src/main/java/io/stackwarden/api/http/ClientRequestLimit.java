package io.stackwarden.api.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.stackwarden.config.StackwardenConfig;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Caps the requests one client address may have in progress ({@code stackwarden.http.max-requests-per-client}):
 * beyond it the request gets 429 and its connection is closed, so one client cannot hold the server's
 * memory or sockets with slow requests. Quarkus only has a global connection limit, which slow clients
 * would fill for everyone; this counts per address instead. Health and metrics ({@code /q/}) are never
 * refused, so liveness answers whatever a client does. Behind a reverse proxy every client has the
 * proxy's address: raise the limit or set 0 (no limit) there.
 */
@Singleton
public class ClientRequestLimit {

    @Inject
    StackwardenConfig config;
    @Inject
    ObjectMapper json;

    private final Map<String, Integer> inProgress = new ConcurrentHashMap<>();

    void install(@Observes Router router) {
        int max = config.http().maxRequestsPerClient();
        if (max > 0) {
            router.route().order(WebhookRequestGuard.ORDER - 1).handler(context -> admit(context, max));
        }
    }

    private void admit(RoutingContext context, int max) {
        if (context.normalizedPath().startsWith("/q/")) {
            context.next();
            return;
        }
        SocketAddress remote = context.request().remoteAddress();
        String client = remote == null ? "unknown" : remote.hostAddress();
        if (!tryAcquire(client, max)) {
            HttpAnswers.refuse(context, json, 429, "too many requests in progress from "
                    + client + " (stackwarden.http.max-requests-per-client=" + max + ")");
            return;
        }
        // Called when the response ends or the connection closes, whichever comes first.
        context.addEndHandler(done -> release(client));
        context.next();
    }

    boolean tryAcquire(String client, int max) {
        boolean[] admitted = {false};
        inProgress.compute(client, (key, count) -> {
            int now = count == null ? 0 : count;
            admitted[0] = now < max;
            return admitted[0] ? now + 1 : (count == null ? null : count);
        });
        return admitted[0];
    }

    void release(String client) {
        inProgress.computeIfPresent(client, (key, count) -> count <= 1 ? null : count - 1);
    }

    /** Requests in progress per client address, for tests and diagnostics. */
    public Map<String, Integer> inProgress() {
        return Map.copyOf(inProgress);
    }
}
