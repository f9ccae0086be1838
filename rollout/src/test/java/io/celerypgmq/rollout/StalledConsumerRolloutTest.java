package io.celerypgmq.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.celerypgmq.bridge.pgmq.QueueName;
import io.celerypgmq.bridge.route.PayloadFormat;
import io.celerypgmq.bridge.route.Route;
import io.celerypgmq.bridge.route.RouteMode;
import io.celerypgmq.testkit.RealBackends;
import io.celerypgmq.testkit.TestPostgres;
import io.celerypgmq.testkit.TestRedis;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pgmq worker hangs (stops reading) from the first step: once a readable message has waited longer than the stall time the
 * consumer counts as down, more than the uptime rule allows for the hold, so the rollout rolls back before its gate
 * and moves everything that piled up in pgmq back to Celery, each message once.
 */
@RealBackends
class StalledConsumerRolloutTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aConsumerStalledBeyondTheUptimeRuleRollsBackBeforeTheGateAndWhatPiledUpGoesBackToCelery(
            TestPostgres pg, TestRedis backend, @TempDir Path dir) throws Exception {
        try (RolloutRig rig = new RolloutRig(pg, backend, dir, "verify:\n  criteria:\n    stall-seconds: 1\n");
                PgmqWorker worker = new PgmqWorker(rig.db, "user_tasks", "user_tasks_shadow")) {
            rig.routes.set(
                    new Route(CeleryTraffic.TASK, RouteMode.SHADOW, 100, "user_tasks_shadow", PayloadFormat.TASK),
                    "test",
                    null);
            rig.bridge("bridge-a");
            EncodedTraffic traffic = new EncodedTraffic(rig.redis, 40);
            Rollout r = rig.start(new RolloutPlan(
                    CeleryTraffic.TASK,
                    List.of(20, 50, 100),
                    Duration.ofSeconds(20),
                    null,
                    "user_tasks",
                    "user_tasks_shadow",
                    PayloadFormat.TASK,
                    RolloutRig.WORKERS,
                    false));
            worker.stalled(true);

            Rollout done = rig.awaitState(r.id(), Duration.ofSeconds(40), RolloutState.ROLLED_BACK);
            traffic.close();

            assertThat(done.cause())
                    .startsWith("breach during the hold: consumer uptime lost: the consumer stalled in 1 of ")
                    .contains("(a readable message waiting 1 s or longer")
                    .contains("the uptime rule (> 99.9 %) allows 0 of about");
            assertThat(Duration.between(done.startedAt(), done.rollbackAt()))
                    .as("long before the 20 s gate")
                    .isLessThan(Duration.ofSeconds(10));
            assertThat(done.drained()).as("what piled up went back").isPositive();
            assertThat(rig.pgmq.metrics(QueueName.of("user_tasks")).queueLength())
                    .isZero();
            await().atMost(Duration.ofSeconds(20)).until(() -> rig.redis.llen(RolloutRig.SOURCE) == 0);
            Map<String, Integer> places = new HashMap<>();
            for (byte[] raw : rig.redis.lrange(RolloutRig.WORKERS.getBytes(StandardCharsets.UTF_8), 0, -1)) {
                JsonNode envelope = JSON.readTree(raw);
                places.merge(envelope.path("headers").path("id").asText(), 1, Integer::sum);
            }
            worker.ran.forEach((id, n) -> places.merge(id, n.get(), Integer::sum));
            assertThat(traffic.ids).hasSizeGreaterThan(20);
            assertThat(traffic.ids)
                    .allSatisfy(id -> assertThat(places.get(id)).as(id).isEqualTo(1));
        }
    }
}
