package io.celerypgmq.bridge.move;

import io.celerypgmq.bridge.codec.CeleryCodec;
import io.celerypgmq.bridge.codec.CodecOptions;
import io.celerypgmq.bridge.codec.PriorityKeys;
import io.celerypgmq.bridge.ledger.BridgeSchema;
import io.celerypgmq.bridge.pgmq.PgmqClient;
import io.celerypgmq.bridge.pgmq.PgmqInstaller;
import io.celerypgmq.bridge.pgmq.QueueName;
import io.celerypgmq.bridge.pump.ExpiresPolicy;
import io.celerypgmq.bridge.pump.PayloadTemplate;
import io.celerypgmq.bridge.pump.PgmqPayloads;
import io.celerypgmq.bridge.pump.PriorityPolicy;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import redis.clients.jedis.UnifiedJedis;

/** Wires the engine's forward mover from real parts, as the daemon's forward pump does, for the engine's tests. */
final class MoverHarness {
    static final PriorityKeys KEYS = PriorityKeys.defaults();
    static final CeleryCodec CODEC = new CeleryCodec(CodecOptions.defaults());

    final DataSource db;
    final UnifiedJedis redis;
    final PgmqClient pgmq;
    final AtomicReference<RouteTable> routes = new AtomicReference<>(RouteTable.celeryOnly());

    MoverHarness(TestPostgres pg, UnifiedJedis redis) {
        this(pg, redis, pg.dataSource());
    }

    /** A harness whose movers use {@code db} (a pool with settings of its own, say). */
    MoverHarness(TestPostgres pg, UnifiedJedis redis, DataSource db) {
        this.db = db;
        this.redis = redis;
        PgmqInstaller.ensure(db);
        BridgeSchema.install(db);
        this.pgmq = new PgmqClient(db);
    }

    /** What one pass of a test pump did, summed over the parts it wrote. */
    record Pass(int claimed, boolean redo, int sent, int expired, int duplicates, int quarantined, int toCelery) {
        boolean idle() {
            return claimed == 0;
        }
    }

    /** The daemon's forward pump over the list {@code celery}, Celery-routed messages to {@code celery_workers}. */
    final class Pump implements AutoCloseable {
        final ForwardMover mover;
        private final int batchesPerPass;
        private final List<ForwardOutcome> outcomes;

        Pump(ForwardMover mover, int batchesPerPass, List<ForwardOutcome> outcomes) {
            this.mover = mover;
            this.batchesPerPass = batchesPerPass;
            this.outcomes = outcomes;
        }

        /** Redoes what is in flight, else claims and moves up to the pump's batches per pass. */
        Pass runOnce() {
            outcomes.clear();
            return pass(mover.runOnce(
                    (inFlight, max) -> inFlight.claim(KEYS.consumptionOrder(List.of("celery")), max), batchesPerPass));
        }

        /** Finishes only what is in flight. */
        Pass redo() {
            outcomes.clear();
            return pass(mover.redo());
        }

        private Pass pass(ForwardMover.Moved moved) {
            int sent = 0;
            int expired = 0;
            int duplicates = 0;
            int quarantined = 0;
            int toCelery = 0;
            for (ForwardOutcome o : outcomes) {
                sent += o.sent().size();
                expired += o.expired();
                duplicates += o.duplicates();
                quarantined += o.quarantined().size();
                toCelery += o.toCelery().size();
            }
            return new Pass(moved.messages(), moved.redo(), sent, expired, duplicates, quarantined, toCelery);
        }

        InFlightList inFlight() {
            return mover.inFlight();
        }

        @Override
        public void close() {
            mover.close();
        }
    }

    Pump pump(String instance, ExpiresPolicy expires) {
        return pump(instance, expires, true);
    }

    Pump pump(String instance, ExpiresPolicy expires, boolean keepEnvelope) {
        return pump(instance, expires, keepEnvelope, ForwardListener.NONE);
    }

    Pump pump(String instance, ExpiresPolicy expires, boolean keepEnvelope, ForwardListener listener) {
        return build(instance, expires, keepEnvelope, listener, 1, db, 10);
    }

    Pump pump(String instance) {
        return pump(instance, ExpiresPolicy.FORWARD);
    }

    /** A pipelined pump (batches of 10) whose hand-off borrows its connections from {@code handOffDb}. */
    Pump pipelined(String instance, int batchesPerPass, DataSource handOffDb) {
        return build(instance, ExpiresPolicy.FORWARD, true, ForwardListener.NONE, batchesPerPass, handOffDb, 10);
    }

    static ForwardRules rules(ExpiresPolicy expires, boolean keepEnvelope) {
        return ForwardRules.bridge(
                CODEC,
                KEYS,
                Map.of("celery", "celery_workers"),
                new PgmqPayloads(Map.of(), keepEnvelope),
                expires,
                PriorityPolicy.HEADER);
    }

    Pump build(
            String instance,
            ExpiresPolicy expires,
            boolean keepEnvelope,
            ForwardListener listener,
            int batchesPerPass,
            DataSource handOffDb,
            int batchSize) {
        List<ForwardOutcome> recorded = new CopyOnWriteArrayList<>();
        ForwardListener both = new ForwardListener() {
            @Override
            public void claimed(int messages, boolean redo) {
                listener.claimed(messages, redo);
            }

            @Override
            public void moved(ForwardOutcome outcome) {
                recorded.add(outcome);
                listener.moved(outcome);
            }
        };
        ForwardMover mover = new ForwardMover(
                handOffDb,
                redis,
                new InFlightList(redis, "celery-pgmq:inflight:" + instance + ":forward"),
                rules(expires, keepEnvelope),
                routes::get,
                batchSize,
                instance,
                Clock.systemUTC(),
                both);
        return new Pump(mover, batchesPerPass, recorded);
    }

    /** The daemon's reverse pump over one source (batches of 50), with a push pool of its own. */
    final class ReversePump implements AutoCloseable {
        private final ExecutorService pushes = Executors.newCachedThreadPool();
        private final ReverseMover mover;
        private final CeleryDelivery delivery;
        private final QueueName queue;

        ReversePump(String pgmqQueue, String celeryQueue, Map<String, PayloadTemplate> templates) {
            this.queue = QueueName.of(pgmqQueue);
            this.mover =
                    new ReverseMover("test", db, ReverseMover.Takeable.VISIBLE, true, 50, ReverseMover.Listener.NONE);
            this.delivery = new CeleryDelivery(
                    db, redis, new MessageRebuilder(CODEC, templates), KEYS, m -> celeryQueue, pushes);
        }

        /** One pass of up to {@link ForwardMover#BATCHES_PER_PASS} batches; how many messages it handled. */
        int drainPass() {
            return mover.drain(
                    queue,
                    ForwardMover.BATCHES_PER_PASS,
                    delivery,
                    ReverseMover.Selection.ALL,
                    ReverseMover.TxHook.NONE);
        }

        boolean runOnce() {
            return drainPass() > 0;
        }

        @Override
        public void close() {
            mover.close();
            pushes.shutdown();
        }
    }

    ReversePump reversePump(String pgmqQueue, String celeryQueue, Map<String, PayloadTemplate> templates) {
        return new ReversePump(pgmqQueue, celeryQueue, templates);
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

    void drain(Pump pump) {
        while (!pump.runOnce().idle()) {
            // keep going until the sources are empty
        }
    }
}
