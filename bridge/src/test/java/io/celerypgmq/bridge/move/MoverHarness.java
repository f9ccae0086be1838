package io.celerypgmq.bridge.pump;

import io.celerypgmq.bridge.codec.CeleryCodec;
import io.celerypgmq.bridge.codec.CodecOptions;
import io.celerypgmq.bridge.codec.PriorityKeys;
import io.celerypgmq.bridge.ledger.BridgeSchema;
import io.celerypgmq.bridge.pgmq.PgmqClient;
import io.celerypgmq.bridge.pgmq.PgmqInstaller;
import io.celerypgmq.bridge.redis.InFlightList;
import io.celerypgmq.bridge.route.RouteTable;
import io.celerypgmq.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import redis.clients.jedis.UnifiedJedis;

/** Wires a forward pump from real parts (codec, planner, hand-off, in-flight list) for the pump tests. */
final class PumpHarness {
    static final PriorityKeys KEYS = PriorityKeys.defaults();
    static final CeleryCodec CODEC = new CeleryCodec(CodecOptions.defaults());

    final DataSource db;
    final UnifiedJedis redis;
    final PgmqClient pgmq;
    final AtomicReference<RouteTable> routes = new AtomicReference<>(RouteTable.celeryOnly());

    PumpHarness(TestPostgres pg, UnifiedJedis redis) {
        this.db = pg.dataSource();
        this.redis = redis;
        PgmqInstaller.ensure(db);
        BridgeSchema.install(db);
        this.pgmq = new PgmqClient(db);
    }

    ForwardPump pump(String instance, ExpiresPolicy expires) {
        return pump(instance, expires, true);
    }

    ForwardPump pump(String instance, ExpiresPolicy expires, boolean keepEnvelope) {
        return pump(instance, expires, keepEnvelope, PumpMetrics.NONE);
    }

    ForwardPump pump(String instance, ExpiresPolicy expires, boolean keepEnvelope, PumpMetrics metrics) {
        return build(instance, expires, keepEnvelope, metrics, 1, db);
    }

    ForwardPump pump(String instance) {
        return pump(instance, ExpiresPolicy.FORWARD);
    }

    /** A pipelined pump (batches of 10) whose hand-off borrows its connections from {@code handOffDb}. */
    ForwardPump pipelined(String instance, int batchesPerPass, DataSource handOffDb) {
        return build(instance, ExpiresPolicy.FORWARD, true, PumpMetrics.NONE, batchesPerPass, handOffDb);
    }

    private ForwardPump build(
            String instance,
            ExpiresPolicy expires,
            boolean keepEnvelope,
            PumpMetrics metrics,
            int batchesPerPass,
            DataSource handOffDb) {
        BatchPlanner planner = new BatchPlanner(
                CODEC,
                KEYS,
                Map.of("celery", "celery_workers"),
                new PgmqPayloads(Map.of(), keepEnvelope),
                expires,
                PriorityPolicy.HEADER);
        return new ForwardPump(
                new InFlightList(redis, "celery-pgmq:inflight:" + instance + ":forward"),
                KEYS.consumptionOrder(List.of("celery")),
                10,
                batchesPerPass,
                planner,
                new HandOff(handOffDb, pgmq, instance, Clock.systemUTC()),
                routes::get,
                Clock.systemUTC(),
                metrics);
    }

    /** Identities (x-celery-identity header) of every message in a pgmq queue, pending or archived. */
    List<String> identitiesIn(String queue) throws SQLException {
        return strings("SELECT headers->>'x-celery-identity' FROM pgmq.q_" + queue
                + " UNION ALL SELECT headers->>'x-celery-identity' FROM pgmq.a_" + queue);
    }

    void sql(String sql) throws SQLException {
        try (Connection c = db.getConnection();
                java.sql.Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    List<String> strings(String sql) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }

    void drain(ForwardPump pump) {
        while (!pump.runOnce().idle()) {
            // keep going until the sources are empty
        }
    }
}
