package io.celerypgmq.bridge.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge's HTTP face: {@code /metrics} (Prometheus text), {@code /health} (the process runs) and {@code /ready}
 * (every pump moving or idle; otherwise 503 naming each stuck pump, since when and why). Read-only; binds where it is told.
 */
public final class BridgeHttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BridgeHttpServer.class);

    /** Whether the bridge is ready, and the text {@code /ready} answers with (which pump is stuck, since, why). */
    public record Readiness(boolean ok, String text) {}

    private final HttpServer server;
    private final ExecutorService executor;

    private BridgeHttpServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    public static BridgeHttpServer start(String host, int port, Supplier<String> metrics, Supplier<Readiness> ready) {
        // without TCP_NODELAY the JDK server stalls about 40 ms on every larger response (Nagle and delayed ACKs);
        // the property is read when the first server is created, whoever starts it
        System.setProperty("sun.net.httpserver.nodelay", "true");
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
            ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
                Thread t = new Thread(r, "bridge-http");
                t.setDaemon(true);
                return t;
            });
            server.setExecutor(executor);
            server.createContext(
                    "/metrics", ex -> reply(ex, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.get()));
            server.createContext("/health", ex -> reply(ex, 200, "text/plain; charset=utf-8", "ok\n"));
            server.createContext("/ready", ex -> {
                Readiness r = ready.get();
                reply(ex, r.ok() ? 200 : 503, "text/plain; charset=utf-8", r.text() + "\n");
            });
            server.start();
            LOG.info(
                    "[http] serving /metrics, /health, /ready on {}:{}",
                    host,
                    server.getAddress().getPort());
            return new BridgeHttpServer(server, executor);
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
        executor.shutdownNow();
    }
}
