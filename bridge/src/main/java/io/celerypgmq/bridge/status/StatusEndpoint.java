package io.celerypgmq.bridge.status;

import io.celerypgmq.bridge.http.BridgeHttpServer;
import io.celerypgmq.config.Secrets;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code GET /api/status}: the latest status snapshot as JSON, for the dashboard's status panel. The snapshot
 * comes from whoever refreshes it (the bridge's status refresher), so a page poll never runs the queries itself.
 */
public final class StatusEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(StatusEndpoint.class);

    private StatusEndpoint() {}

    /** @param latest the latest snapshot, {@code null} until the first one is read */
    public static void install(BridgeHttpServer server, Supplier<StatusSnapshot> latest) {
        server.route("/api/status", ex -> {
            if (!"GET".equals(ex.getRequestMethod())) {
                ex.getResponseHeaders().set("Allow", "GET");
                BridgeHttpServer.reply(ex, 405, "text/plain; charset=utf-8", "GET only\n");
                return;
            }
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            StatusSnapshot s;
            try {
                s = latest.get();
            } catch (RuntimeException e) {
                LOG.warn("[status] cannot read the status: {}", Secrets.mask(String.valueOf(e.getMessage())));
                BridgeHttpServer.reply(
                        ex,
                        503,
                        "application/json; charset=utf-8",
                        StatusJson.error(Secrets.mask(String.valueOf(e.getMessage()))));
                return;
            }
            if (s == null) {
                BridgeHttpServer.reply(
                        ex, 503, "application/json; charset=utf-8", StatusJson.error("the status was not read yet"));
                return;
            }
            BridgeHttpServer.reply(
                    ex, 200, "application/json; charset=utf-8", StatusJson.of(s).toString());
        });
    }
}
