package io.celerypgmq.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.celerypgmq.bridge.daemon.BridgeDaemon;
import io.celerypgmq.bridge.daemon.PumpMetrics;
import io.celerypgmq.bridge.pump.BridgeSettings;
import io.celerypgmq.bridge.pump.ExpiresPolicy;
import io.celerypgmq.bridge.pump.ForwardSource;
import io.celerypgmq.bridge.pump.PriorityPolicy;
import io.celerypgmq.config.ConfigSource;
import io.celerypgmq.config.ConnectionSettings;
import io.celerypgmq.testkit.TestPostgres;
import io.celerypgmq.testkit.TestRedis;
import io.celerypgmq.testkit.celery.RealCelery;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The stores, the bridge and kombu's own pgmq transport as the Celery-on-PGMQ suite uses them. */
final class CeleryOnPgmq {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern JDBC = Pattern.compile("jdbc:postgresql://([^:/]+)(?::(\\d+))?/([^?]+).*");

    final TestPostgres pg;
    final TestRedis redis;
    final RealCelery celery;

    CeleryOnPgmq(TestPostgres pg, TestRedis redis, RealCelery celery) {
        this.pg = pg;
        this.redis = redis;
        this.celery = celery;
    }

    /** kombu's broker URL for the test database: {@code pgmq://user@host:port/db}. */
    String pgmqUrl() {
        Matcher m = JDBC.matcher(pg.url().jdbcUrl());
        if (!m.matches()) {
            throw new IllegalStateException(
                    "not a PostgreSQL JDBC URL: " + pg.url().masked());
        }
        String user = pg.url().user() == null ? "postgres" : pg.url().user();
        String port = m.group(2) == null ? "5432" : m.group(2);
        return "pgmq://" + user
                + (pg.url().password() == null ? "" : ":" + pg.url().password()) + "@" + m.group(1) + ":" + port + "/"
                + m.group(3);
    }

    String redisUrl() {
        return "redis://" + redis.host() + ":" + redis.port() + "/" + redis.database();
    }

    String databaseUrl() {
        return pg.url().jdbcUrl() + "?user="
                + (pg.url().user() == null ? "postgres" : pg.url().user());
    }

    /** The command line, pointed at the test's stores; prints what it printed, for the migration guide. */
    Cli cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--redis-url", redisUrl(), "--database-url", databaseUrl()));
        Cli result = Cli.run(all.toArray(String[]::new));
        List<String> shown = new ArrayList<>();
        for (String arg : args) {
            shown.add(arg.contains(" ") ? "\"" + arg + "\"" : arg);
        }
        System.out.println("$ celery-pgmq " + String.join(" ", shown) + "\n" + result.out() + result.err());
        return result;
    }

    /** A bridge daemon moving {@code source} (routed per the route table; Celery's share to {@code target}). */
    BridgeDaemon bridge(String source, String target) {
        ConnectionSettings connections = ConnectionSettings.from(ConfigSource.of(
                Map.of(),
                Map.of(
                        ConnectionSettings.REDIS_URL.key(),
                        redisUrl(),
                        ConnectionSettings.DATABASE_URL.key(),
                        databaseUrl())));
        BridgeSettings settings = new BridgeSettings(
                "k57-" + source,
                100,
                20,
                30,
                0,
                List.of(0, 3, 6, 9),
                "\u0006\u0016",
                "",
                ExpiresPolicy.FORWARD,
                PriorityPolicy.HEADER,
                true,
                List.of(new ForwardSource(source, target)),
                List.of());
        return BridgeDaemon.start(connections, settings, Map.of(), Clock.systemUTC(), PumpMetrics.NONE);
    }

    /**
     * Publishes Redis envelopes through kombu's own pgmq transport ({@code kombu_pgmq_publish.py}), as its producer
     * would publish them; returns the pgmq queue each went to.
     */
    List<String> publishThroughKombu(String celeryQueue, String prefix, List<JsonNode> envelopes) {
        try (InputStream script = CeleryOnPgmq.class.getResourceAsStream("kombu_pgmq_publish.py")) {
            Path file = Files.createTempFile("kombu_pgmq_publish", ".py");
            file.toFile().deleteOnExit();
            Files.write(file, script.readAllBytes());
            Process p = new ProcessBuilder(celery.executable(), file.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            try (OutputStream in = p.getOutputStream()) {
                var spec = JSON.createObjectNode();
                spec.put("broker", pgmqUrl());
                spec.putObject("transport_options").put("queue_name_prefix", prefix);
                spec.put("queue", celeryQueue);
                envelopes.forEach(spec.putArray("envelopes")::add);
                in.write(JSON.writeValueAsBytes(spec));
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("kombu's pgmq transport did not publish: " + out);
            }
            return out.lines().toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** One pgmq row: message, headers, and its delay (vt − enqueued_at) in seconds. */
    record Row(long msgId, JsonNode message, JsonNode headers, double delaySeconds) {
        String deliveryTag() {
            return message.path("properties").path("delivery_tag").asText();
        }
    }

    List<Row> rows(String pgmqQueue) throws SQLException {
        List<Row> out = new ArrayList<>();
        try (Connection c = pg.connect();
                PreparedStatement ps = c.prepareStatement("SELECT msg_id, message::text, headers::text,"
                        + " extract(epoch FROM vt - enqueued_at) FROM pgmq.\"q_" + pgmqQueue + "\" ORDER BY msg_id");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Row(
                        rs.getLong(1),
                        JSON.readTree(rs.getString(2)),
                        rs.getString(3) == null ? null : JSON.readTree(rs.getString(3)),
                        rs.getDouble(4)));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    long count(String sql, Object... params) throws SQLException {
        try (Connection c = pg.connect();
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    void sql(String sql) throws SQLException {
        try (Connection c = pg.connect()) {
            c.createStatement().execute(sql);
        }
    }

    /** Waits until {@code done} holds, polling; fails naming {@code what}. */
    static void await(String what, Duration timeout, Check done) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + timeout + " for " + what);
            }
            Thread.sleep(200);
        }
    }

    interface Check {
        boolean holds() throws Exception;
    }
}
