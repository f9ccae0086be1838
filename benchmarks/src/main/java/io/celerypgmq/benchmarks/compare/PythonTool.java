package io.celerypgmq.benchmarks.compare;

import io.celerypgmq.config.DatabaseUrl;
import io.celerypgmq.config.RedisUrl;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs Debian's Python 3 (with Celery, redis-py, psycopg2) and hands back what it printed. */
final class PythonTool {
    static final String PYTHON = "/usr/bin/python3";

    private PythonTool() {}

    /** Whether the interpreter and every named module are there. */
    static boolean available(String... modules) {
        try {
            return run(List.of(PYTHON, "-c", "import " + String.join(", ", modules)), 30)
                            .exit()
                    == 0;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    record Output(int exit, String text, long nanos) {}

    static Output run(List<String> command, int timeoutSeconds) {
        try {
            long began = System.nanoTime();
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(command.get(0) + " did not finish in " + timeoutSeconds + " s");
            }
            return new Output(p.exitValue(), new String(out, StandardCharsets.UTF_8), System.nanoTime() - began);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** {@code redis://[user:password@]host:port/db} for redis-py and kombu. */
    static String redisUrl(RedisUrl r) {
        String auth = r.password() == null
                ? ""
                : (r.user() == null ? "" : encode(r.user())) + ":" + encode(r.password()) + "@";
        return (r.tls() ? "rediss" : "redis") + "://" + auth + r.host() + ":" + r.port() + "/" + r.database();
    }

    /** A libpq key/value DSN for psycopg2, from our JDBC form. */
    static String libpqDsn(DatabaseUrl db) {
        String rest = db.jdbcUrl().substring("jdbc:postgresql://".length());
        int q = rest.indexOf('?');
        String hostPortDb = q < 0 ? rest : rest.substring(0, q);
        int slash = hostPortDb.indexOf('/');
        String hostPort = hostPortDb.substring(0, slash);
        String name = hostPortDb.substring(slash + 1);
        int colon = hostPort.lastIndexOf(':');
        StringBuilder dsn = new StringBuilder()
                .append("host=")
                .append(colon < 0 ? hostPort : hostPort.substring(0, colon))
                .append(" port=")
                .append(colon < 0 ? "5432" : hostPort.substring(colon + 1))
                .append(" dbname=")
                .append(name);
        if (db.user() != null) {
            dsn.append(" user=").append(db.user());
        }
        if (db.password() != null) {
            dsn.append(" password='")
                    .append(db.password().replace("\\", "\\\\").replace("'", "\\'"))
                    .append("'");
        }
        return dsn.toString();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
