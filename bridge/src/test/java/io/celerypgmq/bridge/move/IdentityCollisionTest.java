package io.celerypgmq.bridge.move;

import static org.assertj.core.api.Assertions.assertThat;

import io.celerypgmq.bridge.pgmq.QueueName;
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
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/**
 * DESIGN invariant 9 on real Postgres and Redis: a message whose identity (delivery tag) the ledger already records
 * with other content is quarantined as {@code IDENTITY_COLLISION}, never dropped as a duplicate; a true duplicate
 * (the same message again, also as kombu restores it) stays suppressed and counted.
 */
@RealBackends
class IdentityCollisionTest {
    private JedisPooled redis;
    private MoverHarness h;
    private String queue;

    @BeforeEach
    void setUp(TestPostgres pg, TestRedis backend) throws SQLException {
        redis = RedisConnections.open(backend.url());
        redis.flushDB();
        h = new MoverHarness(pg, redis);
        h.sql("DELETE FROM celery_pgmq.quarantine");
        queue = "ident_" + UUID.randomUUID().toString().substring(0, 8);
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

    private void push(byte[] raw) {
        redis.lpush("celery".getBytes(StandardCharsets.UTF_8), raw);
    }

    private List<String> taskIdsInPgmq() throws SQLException {
        return h.strings("SELECT message->>'id' FROM pgmq.q_" + queue);
    }

    @Test
    void aSecondMessageUnderATakenIdentityIsQuarantinedNotLost() throws SQLException {
        byte[] first = TestMessages.task("send_welcome_email", "ada@example.com", "Ada");
        String tag = TestMessages.deliveryTag(first);
        byte[] second = TestMessages.withTag(TestMessages.task("send_welcome_email", "bob@example.com", "Bob"), tag);
        push(first);
        h.drain(h.pump("i1"));

        push(second);
        MoverHarness.Pass pass = h.pump("i1").runOnce();

        assertThat(pass.duplicates()).isZero();
        assertThat(pass.quarantined()).isEqualTo(1);
        assertThat(h.identitiesIn(queue)).containsExactly(tag);
        assertThat(h.strings("SELECT reason || ' ' || identity || ' ' || convert_from(raw, 'UTF8')"
                        + " FROM celery_pgmq.quarantine"))
                .containsExactly("IDENTITY_COLLISION " + tag + " " + new String(second, StandardCharsets.UTF_8));
    }

    @Test
    void twoDifferentMessagesSharingAnIdentityInOneBatchKeepTheFirstAndQuarantineTheSecond() throws SQLException {
        byte[] first = TestMessages.task("send_welcome_email", "ada@example.com", "Ada");
        byte[] second = TestMessages.withTag(
                TestMessages.task("send_welcome_email", "bob@example.com", "Bob"), TestMessages.deliveryTag(first));
        push(first);
        push(second);

        h.drain(h.pump("i1"));

        assertThat(taskIdsInPgmq()).hasSize(1);
        assertThat(h.strings("SELECT reason FROM celery_pgmq.quarantine")).containsExactly("IDENTITY_COLLISION");
        assertThat(redis.llen("celery")).isZero();
    }

    @Test
    void theSameMessageAgainIsADuplicateSuppressedAndCounted() throws SQLException {
        byte[] raw = TestMessages.task("send_welcome_email", "ada@example.com", "Ada");
        push(raw);
        h.drain(h.pump("i1"));

        push(raw);
        push(TestMessages.redelivered(raw)); // as kombu restores it from a dead worker's unacked hash
        MoverHarness.Pass pass = h.pump("i1").runOnce();

        assertThat(pass.duplicates()).isEqualTo(2);
        assertThat(pass.quarantined()).isZero();
        assertThat(taskIdsInPgmq()).hasSize(1);
        assertThat(h.strings("SELECT count(*)::text FROM celery_pgmq.quarantine"))
                .containsExactly("0");
    }

    @Test
    void aCollidingShadowCopyIsQuarantinedWhileCeleryStillGetsItsMessage() throws SQLException {
        byte[] first = TestMessages.task("generate_user_report", 1);
        byte[] other =
                TestMessages.withTag(TestMessages.task("generate_user_report", 2), TestMessages.deliveryTag(first));
        push(first);
        h.drain(h.pump("i1"));
        redis.del("celery_workers");

        push(other);
        h.drain(h.pump("i1"));

        assertThat(h.strings("SELECT reason FROM celery_pgmq.quarantine")).containsExactly("IDENTITY_COLLISION");
        assertThat(redis.lrange("celery_workers".getBytes(StandardCharsets.UTF_8), 0, -1))
                .singleElement()
                .isEqualTo(other);
    }
}
