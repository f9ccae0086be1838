package io.celerypgmq.replay;

import io.celerypgmq.bridge.ledger.BridgeSchema;
import io.celerypgmq.bridge.pgmq.PgmqClient;
import io.celerypgmq.bridge.pgmq.PgmqInstaller;
import io.celerypgmq.bridge.pgmq.QueueName;
import io.celerypgmq.bridge.store.RedisConnections;
import io.celerypgmq.config.ConfigSource;
import io.celerypgmq.testkit.TestPostgres;
import io.celerypgmq.testkit.TestRedis;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import redis.clients.jedis.JedisPooled;

/** Real Redis and Postgres for one test class, with the reads the assertions need. */
final class Harness implements AutoCloseable {
    final DataSource db;
    final JedisPooled redis;
    final PgmqClient pgmq;
    final TestRedis redisBackend;

    Harness(TestPostgres pg, TestRedis backend) {
        this.db = pg.dataSource();
        this.redis = RedisConnections.open(backend.url());
        this.redisBackend = backend;
        this.pgmq = new PgmqClient(db);
    }

    /** Empties Redis and every table replay and the bridge write, and drops the named pgmq queues. */
    void reset(String... queues) {
        redis.flushDB();
        PgmqInstaller.ensure(db);
        ReplaySchema.install(db);
        BridgeSchema.install(db);
        for (String q : queues) {
            pgmq.dropQueue(QueueName.of(q));
        }
        sql("TRUNCATE celery_pgmq.ledger, celery_pgmq.quarantine, celery_pgmq.replay_jobs, celery_pgmq.redrive_log,"
                + " celery_pgmq.routes, celery_pgmq.flow");
    }

    ReplayContext context(Map<String, String> settings) {
        Map<String, String> flags = new HashMap<>(settings);
        return ReplayContext.from(ConfigSource.of(Map.of(), flags), db, redis, Clock.systemUTC());
    }

    ReplayContext context() {
        return context(Map.of());
    }

    void lpush(String key, byte[]... raws) {
        for (byte[] raw : raws) {
            redis.lpush(key.getBytes(StandardCharsets.UTF_8), raw);
        }
    }

    /** Puts an entry into kombu's unacked hash and index as a worker does on delivery. */
    void unacked(Envelopes.Msg msg, double deliveredAt) {
        redis.hset(
                "unacked".getBytes(StandardCharsets.UTF_8),
                msg.tag.getBytes(StandardCharsets.UTF_8),
                msg.unackedValue());
        redis.zadd("unacked_index", deliveredAt, msg.tag);
    }

    long llen(String key) {
        return redis.llen(key.getBytes(StandardCharsets.UTF_8));
    }

    /** x-celery-identity of every message in a pgmq queue, pending and archived. */
    List<String> identitiesIn(String queue) {
        return strings("SELECT headers->>'x-celery-identity' FROM pgmq.q_" + queue
                + " UNION ALL SELECT headers->>'x-celery-identity' FROM pgmq.a_" + queue);
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

    @Override
    public void close() {
        redis.close();
    }
}
