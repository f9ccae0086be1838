package io.celerypgmq.bridge.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import io.celerypgmq.bridge.http.BridgeHttpServer;
import io.celerypgmq.bridge.route.RouteTable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * The dashboard: one self-contained HTML page ({@code /} and {@code /dashboard}; no CDN, a little inline script that
 * polls {@code /api/state} every 2 s) and its JSON. Read-only unless a token is configured, which enables
 * {@code POST /api/routes}.
 */
public final class Dashboard {
    private static final Logger LOG = LoggerFactory.getLogger(Dashboard.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PAGE = load();

    private Dashboard() {}

    /**
     * Serves the dashboard from {@code server}.
     *
     * @param routes the routes in force, e.g. {@code RouteWatcher::current} or {@code new RouteStore(db)::load}
     * @return the state source, for tests or other views
     */
    public static DashboardState install(
            BridgeHttpServer server,
            DataSource dataSource,
            UnifiedJedis redis,
            Supplier<RouteTable> routes,
            DashboardOptions options) {
        DashboardState state = new DashboardState(dataSource, redis, routes, options);
        server.route("/api/state", ex -> {
            if (!"GET".equals(ex.getRequestMethod())) {
                ex.getResponseHeaders().set("Allow", "GET");
                BridgeHttpServer.reply(ex, 405, "text/plain; charset=utf-8", "GET only\n");
                return;
            }
            noStore(ex);
            BridgeHttpServer.reply(ex, 200, "application/json; charset=utf-8", json(state));
        });
        server.route(
                "/api/routes", new RouteChangeHandler(dataSource, options.routeToken(), options.routeTokenOwner()));
        server.route("/dashboard", Dashboard::page);
        server.route("/", ex -> {
            if (ex.getRequestURI().getPath().equals("/")) {
                page(ex);
            } else {
                BridgeHttpServer.reply(ex, 404, "text/plain; charset=utf-8", "not found\n");
            }
        });
        LOG.info(
                "[dashboard] serving / and /api/state on port {}; route changes {}",
                server.port(),
                options.allowsRouteChanges() ? "allowed with the token" : "off (read-only)");
        return state;
    }

    private static void page(HttpExchange ex) throws IOException {
        noStore(ex);
        // The page needs nothing from elsewhere; say so to the browser too.
        ex.getResponseHeaders()
                .set(
                        "Content-Security-Policy",
                        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline';"
                                + " connect-src 'self'; img-src 'self' data:");
        BridgeHttpServer.reply(ex, 200, "text/html; charset=utf-8", PAGE);
    }

    private static void noStore(HttpExchange ex) {
        ex.getResponseHeaders().set("Cache-Control", "no-store");
    }

    private static String json(DashboardState state) {
        try {
            return JSON.writeValueAsString(state.current());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the dashboard state", e);
        }
    }

    private static String load() {
        try (InputStream in = Dashboard.class.getResourceAsStream("dashboard.html")) {
            if (in == null) {
                throw new IllegalStateException("dashboard.html is missing from the bridge jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
