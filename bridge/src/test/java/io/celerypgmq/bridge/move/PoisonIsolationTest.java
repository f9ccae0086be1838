package io.celerypgmq.bridge.move;

import static org.assertj.core.api.Assertions.assertThat;

import io.celerypgmq.bridge.pgmq.QueueName;
import io.celerypgmq.bridge.route.PayloadFormat;
import io.celerypgmq.bridge.route.Route;
import io.celerypgmq.bridge.route.RouteMode;
import io.celerypgmq.bridge.route.RouteTable;
import io.celerypgmq.bridge.store.PostgresPool;
import io.celerypgmq.bridge.store.RedisConnections;
import io.celerypgmq.testkit.RealBackends;
import io.celerypgmq.testkit.TestPostgres;
import io.celerypgmq.testkit.TestRedis;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/**
 * DESIGN invariant 8 on real Postgres and Redis: a write that fails on one message's data is narrowed down to that
 * message, which is quarantined with its bytes and a precise reason while the rest of its batch moves; the quarantine
 * itself stores any bytes and any error text.
 */
@RealBackends
class PoisonIsolationTest {
    private JedisPooled redis;
    private MoverHarness h;
    private String queue;
    private TestPostgres pg;

    @BeforeEach
    void setUp(TestPostgres pg, TestRedis backend) throws SQLException {
        this.pg = pg;
        redis = RedisConnections.open(backend.url());
        redis.flushDB();
        h = new MoverHarness(pg, redis);
        h.sql("DELETE FROM celery_pgmq.quarantine");
        queue = "poison_" + UUID.randomUUID().toString().substring(0, 8);
        h.pgmq.create(QueueName.of(queue));
        h.routes.set(new RouteTable(
                List.of(
                        new Route("send_welcome_email", RouteMode.PGMQ, 100, queue, PayloadFormat.TASK),
                        new Route("generate_user_report", RouteMode.SHADOW, 100, queue, PayloadFormat.TASK)),
                1));
    }

    @AfterEach
    void tearDown() {
        redis.close();
    }

    private byte[] push(byte[] raw) {
        redis.lpush("celery".getBytes(StandardCharsets.UTF_8), raw);
        return raw;
    }

    private List<String> pushGood(int n) {
        List<String> tags = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            tags.add(TestMessages.deliveryTag(
                    push(TestMessages.task("send_welcome_email", "u" + i + "@example.com", "U"))));
        }
        return tags;
    }

    private List<String> quarantined() throws SQLException {
        return h.strings("SELECT reason || ' ' || coalesce(identity, '-') FROM celery_pgmq.quarantine");
    }

    @Test
    void aNulInTheArgumentsIsQuarantinedAsNulNotStorableAndTheRestOfTheBatchMoves() throws SQLException {
        List<String> good = pushGood(4);
        // what send_task('send_welcome_email', args=('a\x00b',)) writes: a \\u0000 escape in the JSON body
        byte[] poison = push(TestMessages.task("send_welcome_email", "a\u0000b", "Nul"));
        good.addAll(pushGood(4));

        MoverHarness.Pass pass = h.pump("i1").runOnce();

        assertThat(pass.claimed()).isEqualTo(9);
        assertThat(h.identitiesIn(queue)).containsExactlyInAnyOrderElementsOf(good);
        assertThat(quarantined()).containsExactly("NUL_NOT_STORABLE " + TestMessages.deliveryTag(poison));
        assertThat(h.strings("SELECT convert_from(raw, 'UTF8') FROM celery_pgmq.quarantine"))
                .containsExactly(new String(poison, StandardCharsets.UTF_8));
        assertThat(h.pump("i1").inFlight().size()).isZero();
        assertThat(redis.llen("celery")).isZero();
    }

    @Test
    void aShadowCopyPgmqCannotStoreIsQuarantinedAndCeleryStillGetsTheMessage() throws SQLException {
        byte[] poison = push(TestMessages.task("generate_user_report", "x\u0000y"));
        List<String> good = pushGood(3);

        h.drain(h.pump("i1"));

        assertThat(h.identitiesIn(queue)).containsExactlyInAnyOrderElementsOf(good);
        assertThat(quarantined()).containsExactly("NUL_NOT_STORABLE " + TestMessages.deliveryTag(poison));
        assertThat(redis.lrange("celery_workers".getBytes(StandardCharsets.UTF_8), 0, -1))
                .singleElement()
                .isEqualTo(poison);
        assertThat(h.strings("SELECT task_name || '/' || route || '/' || direction || '=' || count FROM"
                        + " celery_pgmq.flow WHERE task_name = 'generate_user_report'"))
                .containsExactlyInAnyOrder(
                        "generate_user_report/shadow/to_celery=1", "generate_user_report/quarantine/quarantined=1");
    }

    @Test
    void aRawNulInABrokenJsonTokenIsQuarantinedWithItsBytes() throws SQLException {
        byte[] broken = "{\"body\": tr\u0000ue, \"headers\": {}}".getBytes(StandardCharsets.UTF_8);
        push(broken);
        List<String> good = pushGood(2);

        h.drain(h.pump("i1"));

        assertThat(h.identitiesIn(queue)).containsExactlyInAnyOrderElementsOf(good);
        assertThat(h.strings("SELECT reason FROM celery_pgmq.quarantine")).containsExactly("BAD_ENVELOPE_JSON");
        assertThat(h.strings("SELECT encode(raw, 'hex') FROM celery_pgmq.quarantine"))
                .containsExactly(java.util.HexFormat.of().formatHex(broken));
    }

    @Test
    void aMessageTooSlowForTheStatementTimeoutIsQuarantinedAndTheSmallOnesMove() throws SQLException {
        h.sql("ALTER DATABASE " + pg.databaseName() + " SET statement_timeout = '300ms'");
        try (var timed = PostgresPool.open(pg.url(), 2, "timed")) {
            MoverHarness slow = new MoverHarness(pg, redis, timed);
            slow.routes.set(h.routes.get());
            List<String> good = pushGood(3);
            StringBuilder big = new StringBuilder(40 * 1024 * 1024);
            while (big.length() < 40 * 1024 * 1024) {
                big.append("all work and no play makes jack a dull boy ");
            }
            byte[] huge = push(TestMessages.task("send_welcome_email", big.toString(), "Jack"));
            good.addAll(pushGood(3));

            slow.drain(slow.pump("slow"));

            assertThat(h.identitiesIn(queue)).containsExactlyInAnyOrderElementsOf(good);
            assertThat(quarantined())
                    .containsExactly("STATEMENT_TIMEOUT "
                            + MoverHarness.CODEC.decode(huge, "celery").identity());
            assertThat(h.strings("SELECT length(raw)::text FROM celery_pgmq.quarantine"))
                    .containsExactly(Integer.toString(huge.length));
        } finally {
            h.sql("ALTER DATABASE " + pg.databaseName() + " RESET statement_timeout");
        }
    }

    @Test
    void theQuarantineStoresAnyTextAMessageOrAnErrorHolds() throws SQLException {
        try (var c = h.db.getConnection()) {
            c.setAutoCommit(false);
            io.celerypgmq.bridge.ledger.Quarantine.record(
                    c,
                    List.of(new io.celerypgmq.bridge.ledger.QuarantineEntry(
                            "fp\u0000" + "x".repeat(10_000),
                            "celery\u0000",
                            new byte[] {0, (byte) 0xff, 0},
                            "NOT_STORABLE",
                            "detail with a NUL \u0000 and a lone surrogate \ud800 and more",
                            "tag\u0000")));
            c.commit();
        }
        assertThat(h.strings("SELECT source_key || ' | ' || detail || ' | ' || identity FROM celery_pgmq.quarantine"))
                .containsExactly("celery\\0 | detail with a NUL \\0 and a lone surrogate \uFFFD and more | tag\\0");
        assertThat(h.strings("SELECT fingerprint FROM celery_pgmq.quarantine"))
                .singleElement()
                .asString()
                .startsWith("sha256:");
    }
}
