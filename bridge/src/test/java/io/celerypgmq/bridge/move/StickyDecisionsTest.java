package io.celerypgmq.bridge.move;

import static org.assertj.core.api.Assertions.assertThat;

import io.celerypgmq.bridge.pgmq.QueueName;
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
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/**
 * DESIGN invariant 7 on real Postgres and Redis: a batch whose transaction committed and whose Redis finish never ran
 * (the process died in between) is redone by what was committed, whatever the routes say at the redo. Each test
 * commits a batch without finishing it, changes the route, and redoes it as a restarted or surviving pump would.
 */
@RealBackends
class StickyDecisionsTest {
    private JedisPooled redis;
    private MoverHarness h;
    private String queue;

    @BeforeEach
    void setUp(TestPostgres pg, TestRedis backend) {
        redis = RedisConnections.open(backend.url());
        redis.flushDB();
        h = new MoverHarness(pg, redis);
        queue = "sticky_" + UUID.randomUUID().toString().substring(0, 8);
        h.pgmq.create(QueueName.of(queue));
    }

    @AfterEach
    void tearDown() {
        redis.close();
    }

    private void route(RouteMode mode, int percent) {
        h.routes.set(new RouteTable(
                mode == RouteMode.CELERY
                        ? List.of()
                        : List.of(new Route("send_welcome_email", mode, percent, queue, PayloadFormat.TASK)),
                System.nanoTime()));
    }

    /** Claims everything into {@code instance}'s in-flight list and commits it, as a pump dying before finishing. */
    private void commitWithoutFinishing(String instance) {
        MoverHarness.Pump pump = h.pump(instance);
        List<ClaimedMessage> claimed = pump.inFlight().claim(List.of("celery"), 100);
        Planner planner = new Planner(MoverHarness.rules(ExpiresPolicy.FORWARD, true));
        new HandOff(h.db, h.pgmq, instance, Clock.systemUTC(), ForwardListener.NONE)
                .write(planner.decide(
                        planner.decode(claimed, 0, Long.MAX_VALUE), h.routes.get(), Map.of(), Set.of(), Instant.now()));
        assertThat(pump.inFlight().size()).isEqualTo(claimed.size());
    }

    private List<String> push(int n) {
        List<String> tags = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] raw = TestMessages.task("send_welcome_email", "u" + i + "@example.com", "U" + i);
            redis.lpush("celery".getBytes(StandardCharsets.UTF_8), raw);
            tags.add(TestMessages.deliveryTag(raw));
        }
        return tags;
    }

    private List<String> onCelery() {
        return redis.lrange("celery_workers".getBytes(StandardCharsets.UTF_8), 0, -1).stream()
                .map(TestMessages::deliveryTag)
                .toList();
    }

    @Test
    void aRollbackBetweenCommitAndFinishDoesNotSendToCeleryWhatPgmqHasAlready() throws SQLException {
        List<String> tags = push(5);
        route(RouteMode.PGMQ, 100);
        commitWithoutFinishing("dead");

        route(RouteMode.CELERY, 0); // the operator rolls back while the batch is in flight
        h.pump("dead").redo();

        assertThat(h.identitiesIn(queue)).containsExactlyInAnyOrderElementsOf(tags);
        assertThat(onCelery())
                .as("a task sent to pgmq must not run on Celery as well")
                .isEmpty();
        assertThat(h.pump("dead").inFlight().size()).isZero();
    }

    @Test
    void flippingShadowToPgmqBetweenCommitAndFinishStillGivesCeleryItsCopy() throws SQLException {
        List<String> tags = push(5);
        route(RouteMode.SHADOW, 100);
        commitWithoutFinishing("dead");

        route(RouteMode.PGMQ, 100); // promoted while the shadow batch is in flight
        MoverHarness.Pass redo = h.pump("dead").redo();

        assertThat(onCelery())
                .as("Celery is authoritative for a shadowed task: it must still get it")
                .containsExactlyInAnyOrderElementsOf(tags);
        assertThat(h.identitiesIn(queue)).containsExactlyInAnyOrderElementsOf(tags); // the shadow copies, once
        assertThat(redo.duplicates()).isEqualTo(5);
        assertThat(redo.toCelery()).isEqualTo(5);
    }

    @Test
    void loweringTheCanaryBetweenCommitAndFinishKeepsTheCommittedOnesOnPgmqOnly() throws SQLException {
        List<String> tags = push(40);
        route(RouteMode.PGMQ, 100);
        commitWithoutFinishing("dead");

        route(RouteMode.PGMQ, 10); // the canary is lowered: most root ids now fall on Celery
        h.pump("dead").redo();

        assertThat(h.identitiesIn(queue)).containsExactlyInAnyOrderElementsOf(tags);
        assertThat(onCelery()).isEmpty();
    }

    @Test
    void aMessageWithNoCommittedRecordIsDecidedAfreshByTheRoutesInForce() throws SQLException {
        List<String> tags = push(3);
        route(RouteMode.PGMQ, 100);
        h.pump("dead").inFlight().claim(List.of("celery"), 100); // died before its transaction committed

        route(RouteMode.CELERY, 0);
        h.pump("dead").redo();

        assertThat(h.identitiesIn(queue)).isEmpty();
        assertThat(onCelery()).containsExactlyInAnyOrderElementsOf(tags);
    }

    @Test
    void aSurvivorRedoingAnOrphanedCanaryBatchAfterARollbackSplitsItExactlyOnce() throws SQLException {
        List<String> tags = push(30);
        route(RouteMode.PGMQ, 50);
        commitWithoutFinishing("dead");
        List<String> committedToPgmq =
                h.strings("SELECT identity FROM celery_pgmq.ledger WHERE pgmq_queue = '" + queue + "'");
        assertThat(committedToPgmq).isNotEmpty().hasSizeLessThan(30);

        route(RouteMode.CELERY, 0); // rolled back while the orphan waits for a survivor
        MoverHarness.Pump survivor = h.pump("survivor");
        assertThat(survivor.inFlight().takeOver("celery-pgmq:inflight:dead:forward"))
                .isTrue();
        survivor.redo();

        assertThat(h.identitiesIn(queue)).containsExactlyInAnyOrderElementsOf(committedToPgmq);
        assertThat(onCelery())
                .doesNotHaveDuplicates()
                .doesNotContainAnyElementsOf(committedToPgmq)
                .hasSize(30 - committedToPgmq.size());
        List<String> everywhere = new java.util.ArrayList<>(onCelery());
        everywhere.addAll(committedToPgmq);
        assertThat(everywhere).containsExactlyInAnyOrderElementsOf(tags);
    }
}
