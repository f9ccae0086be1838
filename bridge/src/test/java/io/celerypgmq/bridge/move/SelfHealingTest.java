package io.celerypgmq.bridge.move;

import static org.assertj.core.api.Assertions.assertThat;

import io.celerypgmq.bridge.pgmq.PgmqMessage;
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
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/** A pgmq queue dropped under a running mover is created again, in both directions, without a restart. */
@RealBackends
class SelfHealingTest {
    private JedisPooled redis;
    private MoverHarness h;
    private String queue;

    @BeforeEach
    void setUp(TestPostgres pg, TestRedis backend) {
        redis = RedisConnections.open(backend.url());
        redis.flushDB();
        h = new MoverHarness(pg, redis);
        queue = "heal_" + UUID.randomUUID().toString().substring(0, 8);
        h.routes.set(new RouteTable(
                List.of(new Route("send_welcome_email", RouteMode.PGMQ, 100, queue, PayloadFormat.TASK)), 1));
    }

    @AfterEach
    void tearDown() {
        redis.close();
    }

    private String push() {
        byte[] raw = TestMessages.task("send_welcome_email", "ada@example.com", "Ada");
        redis.lpush("celery".getBytes(StandardCharsets.UTF_8), raw);
        return TestMessages.deliveryTag(raw);
    }

    @Test
    void aQueueDroppedUnderTheForwardMoverIsCreatedAgainAndTheNextBatchArrives() throws SQLException {
        try (MoverHarness.Pump pump = h.pump("i1")) {
            push();
            h.drain(pump);
            h.pgmq.dropQueue(QueueName.of(queue)); // an operator drops it while the bridge runs

            String next = push();
            MoverHarness.Pass pass = pump.runOnce();

            assertThat(pass.sent()).isEqualTo(1);
            assertThat(h.identitiesIn(queue)).containsExactly(next);
            assertThat(pump.inFlight().size()).isZero();
        }
    }

    @Test
    void aReverseSourceDroppedUnderTheReverseMoverIsCreatedAgainEmpty() {
        QueueName q = QueueName.of(queue);
        h.pgmq.create(q);
        try (MoverHarness.ReversePump reverse = h.reversePump(queue, "celery", Map.of())) {
            h.pgmq.dropQueue(q);

            assertThat(reverse.drainPass()).isZero();

            List<PgmqMessage> none = h.pgmq.read(q, 1, 10, null);
            assertThat(none).isEmpty(); // the queue exists again: reading it does not fail
        }
    }
}
