package io.celerypgmq.testkit.embedded;

import io.celerypgmq.config.RedisUrl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A throwaway Redis on a free loopback port, for tests and the CLI demo: no password, no persistence, 16 databases.
 * A JVM shutdown hook stops it if nobody called {@link #close()}.
 */
public final class EmbeddedRedis implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedRedis.class);
    private static final int START_ATTEMPTS = 3;
    private static final long READY_TIMEOUT_MILLIS = 10_000;

    private volatile Process process;
    private final Path binary;
    private final boolean persistent;
    private final Path workDir;
    private final int port;
    private final String version;
    private final Thread shutdownHook;
    private boolean closed;

    private EmbeddedRedis(Process process, Path binary, boolean persistent, Path workDir, int port, String version) {
        this.process = process;
        this.binary = binary;
        this.persistent = persistent;
        this.workDir = workDir;
        this.port = port;
        this.version = version;
        this.shutdownHook = new Thread(this::close, "embedded-redis-stop-" + port);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts a new server from {@code redis-server} on PATH, else from the bundled binary. */
    public static EmbeddedRedis start() {
        return start(RedisBinary.find(Platform.current(), CacheDirectory.base(RunAs.isRoot())), false);
    }

    /**
     * Starts a server that keeps its data across {@link #restart()} (append-only file, fsync on every write), for
     * tests that restart Redis under load.
     */
    public static EmbeddedRedis startPersistent() {
        return start(RedisBinary.find(Platform.current(), CacheDirectory.base(RunAs.isRoot())), true);
    }

    static EmbeddedRedis start(Path binary) {
        return start(binary, false);
    }

    static EmbeddedRedis start(Path binary, boolean persistent) {
        long began = System.nanoTime();
        Path workDir;
        try {
            workDir = Files.createTempDirectory("celery-pgmq-redis-");
        } catch (IOException e) {
            throw new EmbeddedStartException("cannot create a working directory for redis-server", e);
        }
        EmbeddedStartException last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            int port = Ports.freePort();
            Process process = launch(binary, workDir, port, persistent);
            try {
                String version = awaitReady(process, workDir, port);
                EmbeddedRedis server = new EmbeddedRedis(process, binary, persistent, workDir, port, version);
                log.info(
                        "embedded redis {} ({}) started in {} ms on port {}: {}",
                        version,
                        binary,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began),
                        port,
                        server.url().masked());
                return server;
            } catch (EmbeddedStartException e) {
                ServerProcesses.awaitExit(process, 0);
                last = e; // most often another process took the port between probing and binding it
            }
        }
        deleteQuietly(workDir);
        throw last;
    }

    /** Shuts the server down (SHUTDOWN, as an operator's restart would) and starts it again on the same port. */
    public synchronized void restart() {
        if (closed) {
            throw new IllegalStateException("embedded redis on port " + port + " is closed");
        }
        try (Jedis jedis = new Jedis("127.0.0.1", port, 2_000)) {
            jedis.shutdown();
        } catch (JedisException e) {
            // the connection drops as the server exits
        }
        ServerProcesses.awaitExit(process, 10);
        process = launch(binary, workDir, port, persistent);
        awaitReady(process, workDir, port);
        log.info("embedded redis on port {} restarted ({})", port, persistent ? "data kept" : "data lost");
    }

    private static Process launch(Path binary, Path workDir, int port, boolean persistent) {
        List<String> command = List.of(
                binary.toString(),
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                persistent ? "yes" : "no",
                "--appendfsync",
                "always",
                "--databases",
                "16",
                "--daemonize",
                "no",
                "--dir",
                workDir.toString(),
                "--logfile",
                "");
        try {
            return new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            workDir.resolve("redis.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new EmbeddedStartException("cannot run " + binary, e);
        }
    }

    private static String awaitReady(Process process, Path workDir, int port) {
        long deadline = System.currentTimeMillis() + READY_TIMEOUT_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new EmbeddedStartException("redis-server exited with " + process.exitValue() + " on port " + port
                        + ": " + ServerProcesses.tail(workDir.resolve("redis.log")));
            }
            if (Ports.isListening("127.0.0.1", port, 200)) {
                try (Jedis jedis = new Jedis("127.0.0.1", port, 2_000)) {
                    return serverVersion(jedis.info("server"));
                } catch (JedisException e) {
                    // still loading; try again
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EmbeddedStartException("interrupted while waiting for redis-server to start", e);
            }
        }
        process.destroyForcibly();
        throw new EmbeddedStartException("redis-server did not answer on port " + port + " within "
                + READY_TIMEOUT_MILLIS / 1000 + " s: " + ServerProcesses.tail(workDir.resolve("redis.log")));
    }

    static String serverVersion(String info) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("redis_version:")) {
                return line.substring("redis_version:".length()).trim();
            }
        }
        return "unknown";
    }

    /** Database 0; use {@link RedisUrl#withDatabase(int)} for another. */
    public RedisUrl url() {
        return new RedisUrl("127.0.0.1", port, 0, null, null, false);
    }

    public int port() {
        return port;
    }

    /** The server's version, e.g. {@code 7.0.15}. */
    public String version() {
        return version;
    }

    /** Stops the server (nothing is persisted) and deletes its working directory. Safe to call twice. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: this is the hook running
        }
        process.destroy(); // SIGTERM: redis exits promptly and, with saving off, writes nothing
        ServerProcesses.awaitExit(process, 10);
        deleteQuietly(workDir);
        log.info("embedded redis on port {} stopped", port);
    }

    private static void deleteQuietly(Path dir) {
        try {
            ServerProcesses.deleteTree(dir);
        } catch (IOException e) {
            log.warn("embedded redis: cannot delete {}", dir, e);
        }
    }

    @Override
    public String toString() {
        return "EmbeddedRedis[" + version + " on 127.0.0.1:" + port + "]";
    }
}
