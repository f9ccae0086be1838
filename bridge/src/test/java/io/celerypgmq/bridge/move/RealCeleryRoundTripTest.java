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
import io.celerypgmq.testkit.celery.CallSpec;
import io.celerypgmq.testkit.celery.CeleryWorker;
import io.celerypgmq.testkit.celery.Execution;
import io.celerypgmq.testkit.celery.PublishOptions;
import io.celerypgmq.testkit.celery.PublishedCall;
import io.celerypgmq.testkit.celery.RealCelery;
import io.celerypgmq.testkit.celery.WorkerOptions;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/**
 * Rollback fidelity (invariant 6): messages produced by real Celery, bridged into pgmq as task payloads (no
 * envelope kept, so they are rebuilt), reversed into Celery, are run by a real Celery worker with the same id,
 * arguments, ETA and priority. {@link Celery56RoundTripTest} does the same with Celery 5.6 on both ends.
 */
@RealBackends
class RealCeleryRoundTripTest {

    /** The Celery that produces and runs the messages. */
    RealCelery celery() {
        return RealCelery.require();
    }

    @Test
    void celeryToPgmqAndBackIsRunByARealWorkerWithTheSameArguments(TestPostgres pg, TestRedis backend) {
        RealCelery celery = celery();
        try (JedisPooled redis = RedisConnections.open(backend.url())) {
            MoverHarness h = new MoverHarness(pg, redis);
            h.pgmq.create(QueueName.of("rollback_tasks"));
            h.routes.set(new RouteTable(
                    List.of(new Route("tasks.record", RouteMode.PGMQ, 100, "rollback_tasks", PayloadFormat.TASK)), 1));
            OffsetDateTime eta =
                    OffsetDateTime.now(ZoneOffset.UTC).plusSeconds(3).truncatedTo(ChronoUnit.MICROS);
            List<PublishedCall> published = celery.publish(
                    backend.url(),
                    List.of(
                            CallSpec.task("tasks.record", List.of(1, "two", 3.5), Map.of("k", List.of("v", 9))),
                            CallSpec.task("tasks.record", List.of("héllo 🎉"), Map.of())
                                    .priority(7),
                            CallSpec.task("tasks.record", List.of(10, 20), Map.of())
                                    .eta(eta)),
                    PublishOptions.defaults());

            h.drain(h.pump("fwd", ExpiresPolicy.FORWARD, false));
            assertThat(redis.llen("celery")).isZero();

            MoverHarness.ReversePump reverse = h.reversePump("rollback_tasks", "rolled_back", Map.of());
            // The ETA message stays invisible in pgmq until its ETA, then the reverse pump (polling) moves it.
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        reverse.runOnce();
                        return h.strings("SELECT count(*)::text FROM pgmq.q_rollback_tasks")
                                .equals(List.of("0"));
                    });

            reverse.close();
            try (CeleryWorker worker =
                    celery.startWorker(backend.url(), WorkerOptions.defaults().withQueues("rolled_back"))) {
                List<String> ids =
                        published.stream().map(PublishedCall::messageId).toList();
                Map<String, Execution> ran = worker.awaitExecutionsOf(ids, Duration.ofSeconds(40)).stream()
                        .collect(Collectors.toMap(Execution::id, Function.identity()));

                Execution first = ran.get(ids.get(0));
                assertThat(first.args()).containsExactly(1L, "two", 3.5);
                assertThat(first.kwargs()).isEqualTo(Map.of("k", List.of("v", 9L)));
                Execution second = ran.get(ids.get(1));
                assertThat(second.args()).containsExactly("héllo 🎉");
                assertThat(second.priority()).isEqualTo(7);
                Execution third = ran.get(ids.get(2));
                assertThat(OffsetDateTime.parse(third.eta()).toInstant()).isEqualTo(eta.toInstant());
                assertThat(third.executedAt()).isAfterOrEqualTo(eta.toInstant().minusMillis(50));
                assertThat(ran.values()).allSatisfy(e -> assertThat(e.task()).isEqualTo("tasks.record"));
            }
        }
    }
}
