package io.celerypgmq.benchmarks.env;

import com.zaxxer.hikari.HikariDataSource;
import io.celerypgmq.bridge.codec.CeleryCodec;
import io.celerypgmq.bridge.codec.CodecOptions;
import io.celerypgmq.bridge.codec.PriorityKeys;
import io.celerypgmq.bridge.ledger.BridgeSchema;
import io.celerypgmq.bridge.pgmq.PgmqClient;
import io.celerypgmq.bridge.pgmq.PgmqInstaller;
import io.celerypgmq.bridge.pgmq.PgmqStatus;
import io.celerypgmq.bridge.pgmq.QueueName;
import io.celerypgmq.bridge.store.PostgresPool;
import io.celerypgmq.bridge.store.RedisConnections;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Pipeline;

/**
 * Everything the scenarios share: one connection pool, one Redis client, the codec and a message factory, with the
 * bridge's schema and pgmq installed. {@link #reset()} gives each measured pass the same empty starting point, so
 * figures do not drift as tables grow.
 */
public final class BenchEnv implements AutoCloseable {
    /** The Celery queue producers publish to in every scenario. */
    public static final String SOURCE = "bench";
    /** The Celery list workers consume (where Celery-routed messages would go). */
    public static final String WORKERS = "bench_workers";

    public static final QueueName QUEUE = QueueName.of("bench_tasks");

    private final Backends backends;
    private final HikariDataSource db;
    private final JedisPooled redis;
    private final CeleryCodec codec = new CeleryCodec(CodecOptions.defaults());
    private final MessageFactory messages;
    private final PgmqClient pgmq;
    private final PgmqStatus pgmqStatus;

    public BenchEnv(Backends backends) {
        this.backends = backends;
        this.db = PostgresPool.open(backends.database(), 6, "bench");
        this.redis = RedisConnections.open(backends.redis());
        this.pgmqStatus = PgmqInstaller.ensure(db);
        BridgeSchema.install(db);
        this.pgmq = new PgmqClient(db);
        this.messages = new MessageFactory(codec, SOURCE, 42);
    }

    public HikariDataSource db() {
        return db;
    }

    public JedisPooled redis() {
        return redis;
    }

    public CeleryCodec codec() {
        return codec;
    }

    public PriorityKeys keys() {
        return PriorityKeys.defaults();
    }

    public MessageFactory messages() {
        return messages;
    }

    public PgmqClient pgmq() {
        return pgmq;
    }

    public PgmqStatus pgmqStatus() {
        return pgmqStatus;
    }

    public Backends backends() {
        return backends;
    }

    /** LPUSHes {@code count} fresh messages onto {@code list}, as producers would, pipelined. */
    public void fill(String list, int count) {
        byte[] key = list.getBytes(StandardCharsets.UTF_8);
        int chunk = 200;
        try (Pipeline p = redis.pipelined()) {
            for (int done = 0; done < count; done += chunk) {
                int n = Math.min(chunk, count - done);
                byte[][] values = new byte[n][];
                for (int i = 0; i < n; i++) {
                    values[i] = messages.next();
                }
                p.lpush(key, values);
                if ((done / chunk) % 25 == 24) {
                    p.sync();
                }
            }
            p.sync();
        }
    }

    public long length(String list) {
        return redis.llen(list.getBytes(StandardCharsets.UTF_8));
    }

    /** Empties Redis, the bridge's tables and the bench queue (created anew, so every pass starts alike). */
    public void reset() {
        redis.flushDB();
        pgmq.dropQueue(QUEUE);
        pgmq.create(QUEUE);
        sql("TRUNCATE celery_pgmq.ledger, celery_pgmq.flow, celery_pgmq.quarantine");
    }

    /**
     * Forces a checkpoint, so the timed pass that follows starts with no checkpoint due: otherwise one started by WAL
     * volume lands in whichever pass happens to cross the threshold, and its full-page writes slow just that figure.
     * Returns false where the role may not checkpoint (then passes are timed as they come).
     */
    public boolean checkpoint() {
        try (Connection c = db.getConnection();
                Statement s = c.createStatement()) {
            s.execute("CHECKPOINT");
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    /** Runs a statement outside any transaction; for setup only. */
    public void sql(String statement) {
        try (Connection c = db.getConnection();
                Statement s = c.createStatement()) {
            s.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException("bench setup failed: " + statement, e);
        }
    }

    /** Messages in a pgmq queue (pending, not archived). */
    public long pgmqCount(QueueName queue) {
        return pgmq.metrics(queue).queueLength();
    }

    @Override
    public void close() {
        redis.close();
        db.close();
    }
}
