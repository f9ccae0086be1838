package io.celerypgmq.testkit.embedded;

import io.celerypgmq.config.DatabaseUrl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A throwaway PostgreSQL server on a free loopback port, for tests and the CLI demo. Trust auth for the
 * {@code postgres} superuser, no fsync, data in a temporary directory that {@link #close()} deletes. A JVM shutdown
 * hook stops it if nobody called {@code close()}.
 */
public final class EmbeddedPostgres implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgres.class);
    private static final int START_ATTEMPTS = 3;
    private static final long READY_TIMEOUT_MILLIS = 30_000;

    private final Path binaries;
    private final Path workDir;
    private final Optional<RunAs> runAs;
    private volatile Process process;
    private final int port;
    private final String version;
    private final Thread shutdownHook;
    private boolean closed;

    private EmbeddedPostgres(
            Path binaries, Path workDir, Optional<RunAs> runAs, Process process, int port, String version) {
        this.binaries = binaries;
        this.workDir = workDir;
        this.runAs = runAs;
        this.process = process;
        this.port = port;
        this.version = version;
        this.shutdownHook = new Thread(this::close, "embedded-postgres-stop-" + port);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts a new server; takes a few seconds (the first start also unpacks the binaries). */
    public static EmbeddedPostgres start() {
        long began = System.nanoTime();
        Optional<RunAs> runAs = RunAs.forServers();
        Path binaries = PostgresBinaries.install(Platform.current(), CacheDirectory.base(runAs.isPresent()));
        Path workDir;
        try {
            workDir = Files.createTempDirectory("celery-pgmq-pg-");
            if (runAs.isPresent()) {
                runAs.get().own(workDir);
            }
            Path data = workDir.resolve("data");
            ServerProcesses.runToCompletion(
                    command(
                            runAs,
                            binaries.resolve("bin/initdb").toString(),
                            "-D",
                            data.toString(),
                            "-U",
                            "postgres",
                            "-A",
                            "trust",
                            "-E",
                            "UTF8",
                            "--locale=C",
                            "--no-sync"),
                    workDir.resolve("initdb.log"),
                    60);
        } catch (IOException e) {
            throw new EmbeddedStartException("cannot initialise a PostgreSQL data directory", e);
        }
        EmbeddedStartException last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            int port = Ports.freePort();
            Process process = launch(binaries, workDir, runAs, port);
            try {
                String version = awaitReady(process, workDir, port);
                EmbeddedPostgres server = new EmbeddedPostgres(binaries, workDir, runAs, process, port, version);
                log.info(
                        "embedded postgres {} started in {} ms on port {}: {} (data {})",
                        version,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began),
                        port,
                        server.url().masked(),
                        workDir);
                return server;
            } catch (EmbeddedStartException e) {
                ServerProcesses.awaitExit(process, 0);
                last = e; // most often another process took the port between probing and binding it
            }
        }
        deleteQuietly(workDir);
        throw last;
    }

    private static Process launch(Path binaries, Path workDir, Optional<RunAs> runAs, int port) {
        List<String> command = command(
                runAs,
                binaries.resolve("bin/postgres").toString(),
                "-D",
                workDir.resolve("data").toString(),
                "-p",
                Integer.toString(port),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "unix_socket_directories=" + workDir,
                "-c",
                "fsync=off",
                "-c",
                "synchronous_commit=off",
                "-c",
                "full_page_writes=off",
                "-c",
                "max_connections=200");
        try {
            return new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            workDir.resolve("postgres.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new EmbeddedStartException("cannot run " + command.get(0), e);
        }
    }

    private static String awaitReady(Process process, Path workDir, int port) {
        long deadline = System.currentTimeMillis() + READY_TIMEOUT_MILLIS;
        SQLException lastFailure = null;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new EmbeddedStartException("postgres exited with " + process.exitValue() + " on port " + port
                        + ": " + ServerProcesses.tail(workDir.resolve("postgres.log")));
            }
            try (Connection c = connect(jdbcUrl(port));
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SHOW server_version")) {
                rs.next();
                return rs.getString(1);
            } catch (SQLException e) {
                lastFailure = e;
            }
            sleep(25);
        }
        process.destroyForcibly();
        throw new EmbeddedStartException(
                "postgres did not accept connections on port " + port + " within " + READY_TIMEOUT_MILLIS / 1000
                        + " s: " + ServerProcesses.tail(workDir.resolve("postgres.log")),
                lastFailure);
    }

    private static Connection connect(String jdbcUrl) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", "postgres");
        props.setProperty("connectTimeout", "2");
        return DriverManager.getConnection(jdbcUrl, props);
    }

    private static List<String> command(Optional<RunAs> runAs, String... command) {
        List<String> plain = new ArrayList<>(List.of(command));
        return runAs.map(account -> account.wrap(plain)).orElse(plain);
    }

    private static String jdbcUrl(int port) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    /** The {@code postgres} database as the {@code postgres} superuser (trust auth, no password). */
    public DatabaseUrl url() {
        return new DatabaseUrl(jdbcUrl(port), "postgres", null);
    }

    public int port() {
        return port;
    }

    /** The server's version, e.g. {@code 15.10}. */
    public String version() {
        return version;
    }

    /** The temporary directory holding the cluster and its logs; gone after {@link #close()}. */
    public Path workDirectory() {
        return workDir;
    }

    /**
     * Stops the server as a restart would (fast shutdown: open sessions end, transactions roll back) and starts it
     * again on the same data and port, so clients see their connections drop and then come back.
     */
    public synchronized void restart() {
        if (closed) {
            throw new IllegalStateException("embedded postgres on port " + port + " is closed");
        }
        stopServer();
        process = launch(binaries, workDir, runAs, port);
        awaitReady(process, workDir, port);
        log.info("embedded postgres on port {} restarted", port);
    }

    private void stopServer() {
        try {
            ServerProcesses.runToCompletion(
                    command(
                            runAs,
                            binaries.resolve("bin/pg_ctl").toString(),
                            "stop",
                            "-D",
                            workDir.resolve("data").toString(),
                            "-m",
                            "fast",
                            "-w",
                            "-t",
                            "15"),
                    workDir.resolve("pg_ctl.log"),
                    20);
        } catch (IOException | EmbeddedStartException e) {
            log.warn("embedded postgres on port {}: orderly stop failed, killing it", port, e);
            process.destroyForcibly();
        }
        ServerProcesses.awaitExit(process, 10);
    }

    /** Stops the server (fast shutdown: open sessions are ended) and deletes its data. Safe to call twice. */
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
        stopServer();
        deleteQuietly(workDir);
        log.info("embedded postgres on port {} stopped", port);
    }

    private static void deleteQuietly(Path dir) {
        try {
            ServerProcesses.deleteTree(dir);
        } catch (IOException e) {
            log.warn("embedded postgres: cannot delete {}", dir, e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedStartException("interrupted while waiting for postgres to start", e);
        }
    }

    @Override
    public String toString() {
        return "EmbeddedPostgres[" + version + " on 127.0.0.1:" + port + "]";
    }
}
