package io.celerypgmq.replay;

import static org.assertj.core.api.Assertions.assertThat;

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

/**
 * Rollback round trip: messages a real Celery producer wrote are drained into pgmq as task payloads without their
 * envelope (so the rollback must rebuild them), moved back with {@code pgmq-to-redis}, and run by a real Celery 5.2
 * worker with the same id, arguments, priority and ETA.
 */
@RealBackends
class RollbackRoundTripTest {

    @Test
    void drainedMessagesRolledBackAreRunByARealWorkerWithTheSameArguments(TestPostgres pg, TestRedis backend) {
        RealCelery celery = RealCelery.require();
        try (Harness h = new Harness(pg, backend)) {
            h.reset("round_trip");
            OffsetDateTime eta =
                    OffsetDateTime.now(ZoneOffset.UTC).plusSeconds(4).truncatedTo(ChronoUnit.MICROS);
            List<PublishedCall> published = celery.publish(
                    backend.url(),
                    List.of(
                            CallSpec.task("tasks.record", List.of(1, "two", 3.5), Map.of("k", List.of("v", 9))),
                            CallSpec.task("tasks.record", List.of("héllo 🎉"), Map.of())
                                    .priority(7),
                            CallSpec.task("tasks.record", List.of(10, 20), Map.of())
                                    .eta(eta)),
                    PublishOptions.defaults());
            ReplayContext ctx = h.context(Map.of("bridge.keep-envelope", "false"));

            ReplayReport drained = new RedisToPgmqDrain(ctx, DrainSpec.of(List.of("celery"), "round_trip"))
                    .run(new CancelToken(), Progress.NONE);
            assertThat(drained.moved()).isEqualTo(3);
            assertThat(h.llen("celery") + h.llen("celery\u0006\u00166")).isZero();
            assertThat(h.strings("SELECT (headers->'x-celery-envelope' IS NULL)::text FROM pgmq.q_round_trip"))
                    .containsOnly("true");

            ReplayReport back = new PgmqToRedisReplay(
                            ctx, ReverseSpec.of("round_trip").withCeleryQueue("rolled_back"))
                    .run(new CancelToken(), Progress.NONE);
            assertThat(back.moved()).isEqualTo(3);
            assertThat(back.clean()).isTrue();
            assertThat(h.count("SELECT count(*) FROM pgmq.q_round_trip")).isZero();
            assertThat(h.count("SELECT count(*) FROM pgmq.a_round_trip")).isEqualTo(3);

            try (CeleryWorker worker =
                    celery.startWorker(backend.url(), WorkerOptions.defaults().withQueues("rolled_back"))) {
                List<String> ids =
                        published.stream().map(PublishedCall::messageId).toList();
                Map<String, Execution> ran = worker.awaitExecutionsOf(ids, Duration.ofSeconds(40)).stream()
                        .collect(Collectors.toMap(Execution::id, Function.identity()));

                assertThat(ran.get(ids.get(0)).args()).containsExactly(1L, "two", 3.5);
                assertThat(ran.get(ids.get(0)).kwargs()).isEqualTo(Map.of("k", List.of("v", 9L)));
                assertThat(ran.get(ids.get(1)).args()).containsExactly("héllo 🎉");
                assertThat(ran.get(ids.get(1)).priority()).isEqualTo(7);
                Execution later = ran.get(ids.get(2));
                assertThat(OffsetDateTime.parse(later.eta()).toInstant()).isEqualTo(eta.toInstant());
                assertThat(later.executedAt()).isAfterOrEqualTo(eta.toInstant().minusMillis(50));
                assertThat(worker.executions()).hasSize(3);
            }
        }
    }
}
