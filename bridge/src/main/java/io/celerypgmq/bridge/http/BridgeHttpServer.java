package io.celerypgmq.bridge.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge's HTTP face: {@code /metrics} (Prometheus text), {@code /health} (the process runs) and {@code /ready}
 * (both stores reachable and every pump healthy). Read-only; binds where it is told.
 */
public final class BridgeHttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BridgeHttpServer.class);

    private final HttpServer server;

    private BridgeHttpServer(HttpServer server) {
        this.server = server;
    }

    public static BridgeHttpServer start(String host, int port, Supplier<String> metrics, BooleanSupplier ready) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
            server.setExecutor(Executors.newFixedThreadPool(2, r -> {
                Thread t = new Thread(r, "bridge-http");
                t.setDaemon(true);
                return t;
            }));
            server.createContext(
                    "/metrics", ex -> reply(ex, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.get()));
            server.createContext("/health", ex -> reply(ex, 200, "text/plain; charset=utf-8", "ok\n"));
            server.createContext("/ready", ex -> {
                boolean ok = ready.getAsBoolean();
                reply(
                        ex,
                        ok ? 200 : 503,
                        "text/plain; charset=utf-8",
                        ok ? "ready\n" : "not ready: a store is unreachable\n");
            });
            server.start();
            LOG.info(
                    "[http] serving /metrics, /health, /ready on {}:{}",
                    host,
                    server.getAddress().getPort());
            return new BridgeHttpServer(server);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + host + ":" + port, e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Adds a handler for another path (the dashboard). */
    public void route(String path, com.sun.net.httpserver.HttpHandler handler) {
        server.createContext(path, handler);
    }

    public static void reply(HttpExchange ex, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
