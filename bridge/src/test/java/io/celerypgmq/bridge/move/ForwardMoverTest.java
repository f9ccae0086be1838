package io.celerypgmq.bridge.move;

import static org.assertj.core.api.Assertions.assertThat;

import io.celerypgmq.bridge.pump.ExpiresPolicy;
import io.celerypgmq.bridge.route.PayloadFormat;
import io.celerypgmq.bridge.route.Route;
import io.celerypgmq.bridge.route.RouteMode;
import io.celerypgmq.bridge.route.RouteTable;
import io.celerypgmq.bridge.store.RedisConnections;
import io.celerypgmq.testkit.RealBackends;
import io.celerypgmq.testkit.TestPostgres;
import io.celerypgmq.testkit.TestRedis;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/** One test per bridge invariant of DESIGN.md, on real Postgres and Redis. */
@RealBackends
class ForwardMoverTest {
    private static final String HIGH = "celery\u0006\u00163";
    private JedisPooled redis;
    private MoverHarness h;
    private String queue;
    private TestPostgres pg;

    @BeforeEach
    void setUp(TestPostgres pg, TestRedis backend) {
        this.pg = pg;
        redis = RedisConnections.open(backend.url());
        redis.flushDB();
        h = new MoverHarness(pg, redis);
        queue = "user_tasks_" + UUID.randomUUID().toString().substring(0, 8);
        h.routes.set(new RouteTable(
                List.of(
                        new Route("send_welcome_email", RouteMode.PGMQ, 100, queue, PayloadFormat.TASK),
                        new Route("generate_user_report", RouteMode.SHADOW, 100, queue, PayloadFormat.KOMBU)),
                1));
        h.pgmq.create(io.celerypgmq.bridge.pgmq.QueueName.of(queue));
        try (var c = pg.connect();
                var s = c.createStatement()) {
            s.execute("DELETE FROM celery_pgmq.quarantine");
            s.execute("DELETE FROM celery_pgmq.flow");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void tearDown() {
        redis.close();
    }

    private byte[] push(String list, byte[] raw) {
        redis.lpush(list.getBytes(StandardCharsets.UTF_8), raw);
        return raw;
    }

    private List<byte[]> celeryList(String key) {
        return redis.lrange(key.getBytes(StandardCharsets.UTF_8), 0, -1);
    }

    @Test
    void routesEachTaskTypeToItsSideAndKeepsThePriorityList() throws SQLException {
        byte[] pg = push("celery", TestMessages.task("send_welcome_email", "ada@example.com", "Ada"));
        byte[] shadow = push("celery", TestMessages.task("generate_user_report", 7));
        String id = UUID.randomUUID().toString();
        byte[] celery = push(HIGH, TestMessages.task("cleanup_inactive_users", id, id, null, 4, "celery"));

        io.micrometer.core.instrument.simple.SimpleMeterRegistry registry =
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        h.drain(h.pump(
                "i1", ExpiresPolicy.FORWARD, true, new io.celerypgmq.bridge.daemon.MicrometerPumpMetrics(registry)));

        assertThat(h.identitiesIn(queue))
                .containsExactlyInAnyOrder(TestMessages.deliveryTag(pg), TestMessages.deliveryTag(shadow));
        assertThat(registry.get("celery_pgmq_routed")
                        .tags("task", "send_welcome_email", "direction", "to_pgmq")
                        .counter()
                        .count())
                .isEqualTo(1.0);
        assertThat(registry.get("celery_pgmq_sent_to_pgmq").counter().count()).isEqualTo(2.0);
        assertThat(celeryList("celery_workers")).containsExactly(shadow);
        assertThat(celeryList("celery_workers\u0006\u00163")).containsExactly(celery);
        assertThat(redis.llen("celery") + redis.llen(HIGH)).isZero();
        // the batch's flow counts, written with its send
        assertThat(flowCounts())
                .containsExactlyInAnyOrder(
                        "send_welcome_email/pgmq/to_pgmq=1",
                        "generate_user_report/shadow/to_shadow=1",
                        "generate_user_report/shadow/to_celery=1",
                        "cleanup_inactive_users/celery/to_celery=1");
    }

    private List<String> flowCounts() throws SQLException {
        List<String> out = new ArrayList<>();
        try (var c = pg.connect();
                var s = c.createStatement();
                var rs = s.executeQuery("SELECT task_name, route, direction, sum(count) FROM celery_pgmq.flow"
                        + " WHERE writer = 'i1' GROUP BY 1, 2, 3")) {
            while (rs.next()) {
                out.add(rs.getString(1) + "/" + rs.getString(2) + "/" + rs.getString(3) + "=" + rs.getLong(4));
            }
        }
        return out;
    }

    @Test
    void invariant1_aMessageLeavesRedisOnlyAfterItsTransactionCommitted() throws SQLException {
        byte[] raw = push("celery", TestMessages.task("send_welcome_email", "a@b.c", "A"));
        MoverHarness.Pump pump = h.pump("i1");
        // Crash after claiming, before Postgres: the message is in the in-flight list, nowhere lost.
        List<ClaimedMessage> claimed = pump.inFlight().claim(List.of("celery"), 10);
        assertThat(claimed).hasSize(1);
        assertThat(h.identitiesIn(queue)).isEmpty();

        MoverHarness.Pump restarted = h.pump("i1");
        assertThat(restarted.runOnce().redo()).isTrue();
        assertThat(h.identitiesIn(queue)).containsExactly(TestMessages.deliveryTag(raw));
        assertThat(restarted.inFlight().size()).isZero();
    }

    @Test
    void invariant2_redoingACommittedBatchSendsNothingTwice() throws SQLException {
        byte[] a = push("celery", TestMessages.task("send_welcome_email", "a@b.c", "A"));
        byte[] s = push("celery", TestMessages.task("generate_user_report", 1));
        MoverHarness.Pump pump = h.pump("i1");
        // Crash after the Postgres commit, before the Redis finish: the batch is redone.
        List<ClaimedMessage> claimed = pump.inFlight().claim(List.of("celery"), 10);
        commitWithoutFinishing(claimed);

        MoverHarness.Pass redo = h.pump("i1").runOnce();

        assertThat(redo.redo()).isTrue();
        assertThat(redo.duplicates()).isEqualTo(2);
        assertThat(h.identitiesIn(queue))
                .containsExactlyInAnyOrder(TestMessages.deliveryTag(a), TestMessages.deliveryTag(s));
        assertThat(celeryList("celery_workers")).containsExactly(s); // the shadow's Celery copy, once
    }

    /** What a crash between the commit and the Redis finish leaves: the batch committed, and still in flight. */
    private void commitWithoutFinishing(List<ClaimedMessage> claimed) {
        Planner planner = new Planner(MoverHarness.rules(ExpiresPolicy.FORWARD, true));
        new HandOff(h.db, h.pgmq, "i1", java.time.Clock.systemUTC(), ForwardListener.NONE)
                .write(planner.decide(
                        planner.decode(claimed, 0, Long.MAX_VALUE),
                        h.routes.get(),
                        java.util.Map.of(),
                        java.util.Set.of(),
                        Instant.now()));
    }

    @Test
    void invariant3_aSurvivorRedoesTheBatchOfACrashedInstance() throws SQLException {
        List<String> tags = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            tags.add(TestMessages.deliveryTag(push("celery", TestMessages.task("send_welcome_email", "u" + i, "U"))));
        }
        h.pump("dead").inFlight().claim(List.of("celery"), 10);
        MoverHarness.Pump survivor = h.pump("survivor");
        assertThat(survivor.inFlight().takeOver("celery-pgmq:inflight:dead:forward"))
                .isTrue();
        survivor.redo();
        assertThat(h.identitiesIn(queue)).containsExactlyInAnyOrderElementsOf(tags);
    }

    @Test
    void invariant5_badInputIsQuarantinedWithItsBytesAndThePumpGoesOn() throws SQLException {
        push("celery", "this is not json".getBytes(StandardCharsets.UTF_8));
        byte[] good = push("celery", TestMessages.task("send_welcome_email", "a@b.c", "A"));

        h.drain(h.pump("i1"));

        assertThat(h.identitiesIn(queue)).containsExactly(TestMessages.deliveryTag(good));
        assertThat(h.strings("SELECT convert_from(raw, 'UTF8') || ' / ' || reason FROM celery_pgmq.quarantine"))
                .containsExactly("this is not json / BAD_ENVELOPE_JSON");
    }

    @Test
    void anEtaBecomesAPgmqDelay() throws SQLException {
        String id = UUID.randomUUID().toString();
        String eta = Instant.now()
                .plusSeconds(3600)
                .truncatedTo(java.time.temporal.ChronoUnit.MICROS)
                .toString()
                .replace("Z", "+00:00");
        push("celery", TestMessages.task("send_welcome_email", id, id, eta, null, "celery", "a@b.c", "A"));
        h.drain(h.pump("i1"));
        assertThat(h.strings("SELECT (vt > now() + interval '50 minutes')::text FROM pgmq.q_" + queue))
                .containsExactly("true");
    }

    @Test
    void twoPumpsOnTheSameQueueHandleEveryMessageOnce() throws Exception {
        List<String> tags = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            tags.add(TestMessages.deliveryTag(push("celery", TestMessages.task("send_welcome_email", "u" + i, "U"))));
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> a = pool.submit(() -> h.drain(h.pump("a")));
            Future<?> b = pool.submit(() -> h.drain(h.pump("b")));
            a.get();
            b.get();
        } finally {
            pool.shutdownNow();
        }
        assertThat(h.identitiesIn(queue)).hasSize(500).containsExactlyInAnyOrderElementsOf(tags);
    }

    @Test
    void aPipelinedPassMovesSeveralBatchesInClaimOrderAndLeavesNothingInFlight() throws SQLException {
        List<String> tags = new ArrayList<>();
        for (int i = 0; i < 45; i++) {
            tags.add(TestMessages.deliveryTag(push("celery", TestMessages.task("send_welcome_email", "u" + i, "U"))));
        }
        try (MoverHarness.Pump pump = h.pipelined("p1", 3, h.db)) {
            MoverHarness.Pass first = pump.runOnce();
            assertThat(first.claimed()).isEqualTo(30);
            assertThat(first.sent()).isEqualTo(30);
            assertThat(pump.inFlight().size()).isZero();
            h.drain(pump);
            assertThat(pump.inFlight().size()).isZero();
        }
        assertThat(h.strings("SELECT headers->>'x-celery-identity' FROM pgmq.q_" + queue + " ORDER BY msg_id"))
                .containsExactlyElementsOf(tags);
    }

    @Test
    void aWriteThatFailsMidPipelineLeavesItsBatchAndTheNextInFlightAndTheNextPassRedoesThemOnce() throws SQLException {
        List<String> tags = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            tags.add(TestMessages.deliveryTag(push("celery", TestMessages.task("send_welcome_email", "u" + i, "U"))));
        }
        // the second batch transaction cannot be opened: its connection fails as it starts the transaction
        java.util.concurrent.atomic.AtomicInteger transactions = new java.util.concurrent.atomic.AtomicInteger();
        javax.sql.DataSource flaky = (javax.sql.DataSource) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {javax.sql.DataSource.class}, (proxy, method, args) -> {
                    Object real;
                    try {
                        real = method.invoke(h.db, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (!method.getName().equals("getConnection")) {
                        return real;
                    }
                    java.sql.Connection c = (java.sql.Connection) real;
                    return java.lang.reflect.Proxy.newProxyInstance(
                            getClass().getClassLoader(), new Class<?>[] {java.sql.Connection.class}, (p, m, a) -> {
                                if (m.getName().equals("setAutoCommit")
                                        && Boolean.FALSE.equals(a[0])
                                        && transactions.incrementAndGet() == 2) {
                                    throw new SQLException("connection refused (test)", "08001");
                                }
                                try {
                                    return m.invoke(c, a);
                                } catch (java.lang.reflect.InvocationTargetException e) {
                                    throw e.getCause();
                                }
                            });
                });
        try (MoverHarness.Pump pump = h.pipelined("p2", 4, flaky)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(pump::runOnce)
                    .hasRootCauseMessage("connection refused (test)");
            assertThat(h.identitiesIn(queue)).hasSize(10); // the first batch committed and was finished
            assertThat(pump.inFlight().size()).isEqualTo(20); // the failed batch and the one claimed behind it

            MoverHarness.Pass redo = pump.runOnce();
            assertThat(redo.redo()).isTrue();
            assertThat(redo.claimed()).isEqualTo(20);
            assertThat(redo.sent()).isEqualTo(20);
            h.drain(pump);
            assertThat(pump.inFlight().size()).isZero();
        }
        assertThat(h.identitiesIn(queue)).hasSize(40).containsExactlyInAnyOrderElementsOf(tags);
    }
}
