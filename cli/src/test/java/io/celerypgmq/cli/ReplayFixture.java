package io.celerypgmq.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.celerypgmq.bridge.codec.CeleryCodec;
import io.celerypgmq.bridge.codec.CeleryMessage;
import io.celerypgmq.bridge.codec.EncodeTarget;
import io.celerypgmq.bridge.store.RedisConnections;
import io.celerypgmq.testkit.TestPostgres;
import io.celerypgmq.testkit.TestRedis;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.JedisPooled;

/** Real Redis and Postgres for the replay command tests: Celery messages in, the connection flags, reads. */
final class ReplayFixture implements AutoCloseable {
    static final CeleryCodec CODEC = CeleryCodec.withDefaults();
    static final String P9 = "celery\u0006\u00169";

    final DataSource db;
    final JedisPooled redis;
    final String redisUrl;
    final String databaseUrl;

    ReplayFixture(TestPostgres pg, TestRedis backend) {
        this.db = pg.dataSource();
        this.redis = RedisConnections.open(backend.url());
        this.redisUrl = "redis://" + backend.host() + ":" + backend.port() + "/" + backend.database();
        String user = pg.url().user() == null ? "" : encode(pg.url().user());
        String password =
                pg.url().password() == null ? "" : ":" + encode(pg.url().password());
        this.databaseUrl = pg.jdbcUrl()
                .replaceFirst("^jdbc:postgresql://", "postgresql://" + (user.isEmpty() ? "" : user + password + "@"));
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** The connection flags every replay invocation needs. */
    List<String> connection() {
        return List.of("--redis-url", redisUrl, "--database-url", databaseUrl);
    }

    /** {@code n} Celery 5.2 messages of {@code task} LPUSHed onto {@code list}; their identities in push order. */
    List<String> push(String list, String task, int n, int padding) {
        // One real encoding, then fresh ids per copy: encoding thousands of large messages would dominate the test.
        UUID templateTag = UUID.randomUUID();
        UUID templateId = UUID.randomUUID();
        String template = new String(
                message(task, 0, "x".repeat(padding), list.equals(P9) ? 9 : null, templateTag, templateId),
                StandardCharsets.UTF_8);
        List<String> identities = new ArrayList<>(n);
        int chunk = 1000;
        for (int start = 0; start < n; start += chunk) {
            try (AbstractPipeline p = redis.pipelined()) {
                for (int i = start; i < Math.min(n, start + chunk); i++) {
                    String tag = UUID.randomUUID().toString();
                    String raw = template.replace(templateTag.toString(), tag)
                            .replace(templateId.toString(), UUID.randomUUID().toString());
                    p.lpush(list.getBytes(StandardCharsets.UTF_8), raw.getBytes(StandardCharsets.UTF_8));
                    identities.add(tag);
                }
            }
        }
        return identities;
    }

    /** A message put into kombu's unacked hash and index as a worker's delivery {@code ageSeconds} ago. */
    String unacked(String task, int i, double ageSeconds) {
        UUID id = UUID.randomUUID();
        byte[] raw = message(task, i, "", null, id, UUID.randomUUID());
        String tag = id.toString();
        String value = "[" + new String(raw, StandardCharsets.UTF_8) + ", \"\", \"celery\"]";
        redis.hset("unacked", tag, value);
        redis.zadd("unacked_index", System.currentTimeMillis() / 1000.0 - ageSeconds, tag);
        return tag;
    }

    /** A Celery 5.2 protocol-2 message as kombu writes it, with the given delivery tag. */
    static byte[] message(String task, int i, String pad, Integer priority, UUID deliveryTag, UUID taskId) {
        var args = JsonNodeFactory.instance.arrayNode().add(i).add(pad);
        CeleryMessage m = CeleryMessage.builder()
                .task(task)
                .id(taskId.toString())
                .args(args)
                .kwargs(JsonNodeFactory.instance.objectNode())
                .priority(priority)
                .build();
        return CODEC.encode(m, EncodeTarget.of("celery", () -> deliveryTag).withPriority(priority));
    }

    List<String> strings(String sql) {
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    long count(String sql) {
        return Long.parseLong(strings(sql).get(0));
    }

    void sql(String sql) {
        try (Connection c = db.getConnection();
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** Drops everything replay and the bridge keep, so each test starts from an empty Redis and database. */
    void reset() {
        redis.flushDB();
        sql("DROP SCHEMA IF EXISTS celery_pgmq CASCADE");
        sql("DO $$ BEGIN IF to_regnamespace('pgmq') IS NOT NULL THEN"
                + " PERFORM pgmq.drop_queue(queue_name) FROM pgmq.list_queues(); END IF; END $$");
    }

    /** Identities of every message in a pgmq queue, pending and archived. */
    List<String> identitiesIn(String queue) {
        return strings("SELECT headers->>'x-celery-identity' FROM pgmq.q_" + queue
                + " UNION ALL SELECT headers->>'x-celery-identity' FROM pgmq.a_" + queue);
    }

    /** Starts {@code celery-pgmq} in its own JVM on this test's classpath. */
    Process spawn(Path log, List<String> jvm, List<String> args) throws java.io.IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvm);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("io.celerypgmq.cli.CeleryPgmq");
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(false);
        pb.environment().put("CELERY_PGMQ_LOG_LEVEL", "WARN");
        pb.redirectOutput(log.toFile());
        pb.redirectError(log.resolveSibling(log.getFileName() + ".err").toFile());
        return pb.start();
    }

    @Override
    public void close() {
        redis.close();
    }
}
