package io.celerypgmq.bridge.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.celerypgmq.bridge.http.BridgeHttpServer;
import io.celerypgmq.bridge.pgmq.PgmqClient;
import io.celerypgmq.bridge.pgmq.PgmqException;
import io.celerypgmq.bridge.pgmq.QueueName;
import io.celerypgmq.bridge.route.IllegalRouteTransitionException;
import io.celerypgmq.bridge.route.PayloadFormat;
import io.celerypgmq.bridge.route.Route;
import io.celerypgmq.bridge.route.RouteChange;
import io.celerypgmq.bridge.route.RouteMode;
import io.celerypgmq.bridge.route.RouteStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/routes}: changes one task type's route from the page, only with {@code Authorization: Bearer
 * <token>} matching the configured token (403 otherwise, and always when none is configured). The change goes through
 * {@link RouteStore#set}, so the same transition rules and the same audit trail apply as on the command line.
 *
 * <p>Body: {@code {"task": "...", "mode": "celery|shadow|pgmq", "percent": 10, "queue": "...", "format": "task",
 * "reason": "..."}}. The audit trail records the change as made by the token's configured owner
 * ({@code dashboard.token-owner}); a body naming someone else is refused, since anyone holding the token could write
 * any name there.
 */
final class RouteChangeHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(RouteChangeHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY = 16 * 1024;
    private static final String BEARER = "Bearer ";

    private final DataSource db;
    private final RouteStore store;
    private final byte[] token;
    private final String owner;

    RouteChangeHandler(DataSource db, String token, String owner) {
        this.db = db;
        this.store = new RouteStore(db);
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
        this.owner = owner;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        if (!"POST".equals(ex.getRequestMethod())) {
            ex.getResponseHeaders().set("Allow", "POST");
            reply(ex, 405, "only POST changes a route");
            return;
        }
        if (token == null) {
            reply(ex, 403, "route changes from the dashboard are off: configure a dashboard token to allow them");
            return;
        }
        if (!authorised(ex.getRequestHeaders().getFirst("Authorization"))) {
            reply(ex, 403, "a valid 'Authorization: Bearer <token>' header is needed to change routes");
            return;
        }
        Route route;
        String reason;
        try {
            JsonNode body = JSON.readTree(body(ex));
            if (body == null || !body.isObject()) {
                throw new IllegalArgumentException("the body must be a JSON object");
            }
            RouteMode mode = RouteMode.parse(text(body, "mode", null));
            String queue = mode == RouteMode.CELERY ? null : text(body, "queue", null);
            route = new Route(
                    text(body, "task", ""),
                    mode,
                    mode == RouteMode.CELERY ? 0 : body.path("percent").asInt(100),
                    queue == null ? null : QueueName.of(queue).value(),
                    PayloadFormat.parse(text(body, "format", "task")));
            String claimed = text(body, "by", owner);
            if (!owner.equals(claimed)) {
                throw new IllegalArgumentException("'by' is not the request's to choose: changes made with this token"
                        + " are recorded as " + owner + " (dashboard.token-owner)");
            }
            reason = text(body, "reason", null);
        } catch (IOException | IllegalArgumentException e) {
            reply(ex, 400, "bad route change: " + e.getMessage());
            return;
        }
        try {
            if (route.pgmqQueue() != null) {
                new PgmqClient(db).create(QueueName.of(route.pgmqQueue()));
            }
            RouteChange change = store.set(route, owner, reason);
            LOG.info(
                    "[dashboard] route of {} changed by {}: {} → {}",
                    route.taskPattern(),
                    owner,
                    change.oldRoute(),
                    change.newRoute());
            ObjectNode out = JSON.createObjectNode();
            out.put("task", change.taskPattern());
            out.put("old", change.oldRoute());
            out.put("new", change.newRoute());
            out.put("at", change.changedAt().toString());
            out.put("by", change.changedBy());
            BridgeHttpServer.reply(ex, 200, "application/json; charset=utf-8", JSON.writeValueAsString(out));
        } catch (IllegalRouteTransitionException e) {
            reply(ex, 409, e.getMessage());
        } catch (PgmqException e) {
            reply(ex, 409, "cannot create pgmq queue " + route.pgmqQueue() + ": " + e.getMessage());
        }
    }

    private boolean authorised(String header) {
        if (header == null || !header.startsWith(BEARER)) {
            return false;
        }
        byte[] given = header.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, token);
    }

    private static byte[] body(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            byte[] bytes = in.readNBytes(MAX_BODY + 1);
            if (bytes.length > MAX_BODY) {
                throw new IllegalArgumentException("the body is larger than " + MAX_BODY + " bytes");
            }
            return bytes;
        }
    }

    private static String text(JsonNode body, String field, String fallback) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            if (fallback == null && (field.equals("task") || field.equals("mode"))) {
                throw new IllegalArgumentException(field + " is missing");
            }
            return fallback;
        }
        return v.asText();
    }

    private static void reply(HttpExchange ex, int status, String message) throws IOException {
        ObjectNode out = JSON.createObjectNode().put("error", message);
        BridgeHttpServer.reply(ex, status, "application/json; charset=utf-8", JSON.writeValueAsString(out));
    }
}
