package io.stackwarden.agent;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The agent's HTTP API, for Stackwarden only: {@code POST /v1/<action>} with a JSON body and the shared token as a
 * bearer token. A request without the token gets 401 before anything else is looked at. Every action is logged:
 * who asked (the requester it names and its address), why, the node, the container, the process and the outcome.
 */
public final class AgentServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(AgentServer.class.getName());
    private static final int MAX_BODY = 64 * 1024;
    private static final int TEXT_LIMIT = 200;

    private final HttpServer server;
    private final ExecutorService workers = new ThreadPoolExecutor(0, MAX_WORKERS, 30, TimeUnit.SECONDS, new SynchronousQueue<>());
    /**
     * The JDK's server reads a request's headers on its executor, so a client that sends them slowly holds a thread until
     * {@code sun.net.httpserver.maxReqTime} (set by {@link Agent}): a thread per request, up to this many, keeps a few
     * such clients from holding Stackwarden's calls; beyond them a new connection is closed at once.
     */
    private static final int MAX_WORKERS = 64;
    private final AgentToken token;
    private final NodeActions actions;
    private final ObjectMapper json = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public AgentServer(InetSocketAddress address, AgentToken token, NodeActions actions) throws IOException {
        this.token = token;
        this.actions = actions;
        this.server = HttpServer.create(address, 16);
        server.createContext("/", this::handle);
        server.setExecutor(workers);
    }

    public void start() {
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String from = exchange.getRemoteAddress().getAddress().getHostAddress();
            if (!token.accepts(exchange.getRequestHeaders().getFirst("Authorization"))) {
                LOG.warning(() -> "refused " + exchange.getRequestMethod() + " " + shown(exchange.getRequestURI().getPath())
                        + " from " + from + ": missing or wrong token");
                answer(exchange, 401, Map.of("error", "missing or wrong bearer token"));
                return;
            }
            Optional<AgentAction> action = AgentAction.ofPath(exchange.getRequestURI().getPath());
            if (action.isEmpty()) {
                answer(exchange, 404, Map.of("error", "no such action; the actions are kill-shim, remove-leftover and"
                        + " list-leftover-candidates"));
                return;
            }
            if (!exchange.getRequestMethod().equals("POST")) {
                answer(exchange, 405, Map.of("error", "use POST"));
                return;
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes(MAX_BODY + 1);
            }
            if (body.length > MAX_BODY) {
                answer(exchange, 413, Map.of("error", "the body is larger than " + MAX_BODY + " bytes"));
                return;
            }
            try {
                act(exchange, action.get(), body, from);
            } catch (JsonProcessingException e) {
                answer(exchange, 400, Map.of("error", "the body is no valid request: " + e.getOriginalMessage()));
            }
        } catch (RuntimeException e) {
            LOG.warning(() -> "request failed: " + e);
        }
    }

    private void act(HttpExchange exchange, AgentAction action, byte[] body, String from) throws IOException {
        if (action == AgentAction.LIST_LEFTOVER_CANDIDATES) {
            CandidatesRequest request = read(body, CandidatesRequest.class);
            Candidates candidates = actions.candidates(request);
            LOG.fine(() -> "listed " + candidates.containers().size() + " container(s) for " + shown(request.requester())
                    + " (" + from + ")");
            answer(exchange, 200, candidates);
            return;
        }
        ActionRequest request = read(body, ActionRequest.class);
        ActionResult result = action == AgentAction.KILL_SHIM ? actions.killShim(request) : actions.removeLeftover(request);
        LOG.info(() -> action.label() + " asked by " + shown(request.requester()) + " (" + from + ") because '"
                + shown(request.reason()) + "': node " + result.node() + ", stack " + shown(request.stack()) + ", task "
                + shown(request.task()) + ", container " + result.container() + (result.pid() > 0 ? ", shim pid " + result.pid() : "")
                + ": " + result.outcome() + " (" + result.detail() + ")");
        answer(exchange, result.outcome() == ActionResult.Outcome.REFUSED ? 403 : 200, result);
    }

    private <T> T read(byte[] body, Class<T> type) throws IOException {
        T request = json.readValue(body, type);
        if (request == null) {
            throw JsonMappingException.from((JsonParser) null, "the body is null");
        }
        return request;
    }

    private void answer(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Text from a request as a log may show it: one line, bounded. */
    private static String shown(String text) {
        if (text == null) {
            return "";
        }
        String line = text.replaceAll("\\p{Cntrl}", "?");
        return line.length() <= TEXT_LIMIT ? line : line.substring(0, TEXT_LIMIT) + "...";
    }

    @Override
    public void close() {
        server.stop(1);
        workers.shutdownNow();
    }
}
