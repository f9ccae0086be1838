package io.celerypgmq.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.celerypgmq.bridge.pgmq.QueueName;
import io.celerypgmq.bridge.route.PayloadFormat;
import io.celerypgmq.bridge.route.Route;
import io.celerypgmq.bridge.route.RouteChange;
import io.celerypgmq.bridge.route.RouteMode;
import io.celerypgmq.testkit.RealBackends;
import io.celerypgmq.testkit.TestPostgres;
import io.celerypgmq.testkit.TestRedis;
import io.celerypgmq.testkit.celery.CeleryWorker;
import io.celerypgmq.testkit.celery.RealCelery;
import io.celerypgmq.testkit.celery.WorkerOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pgmq worker starts dead-lettering everything once the rollout reaches 25 %: the driver sees the DLQ rate over
 * its threshold within the hold, routes the task type back to Celery, and moves what waits in pgmq and its DLQ back
 * to Celery, where a real worker runs it. Reconciled by task id: every task ran exactly once.
 */
@RealBackends
class FailingConsumerRolloutTest {
    private static final Duration HOLD = Duration.ofSeconds(4);

    @Test
    void aConsumerFailingAtTwentyFivePercentAbortsWithinOneHoldAndTheRollbackLosesAndDoublesNothing(
            TestPostgres pg, TestRedis backend, @TempDir Path dir) throws Exception {
        RealCelery celery = RealCelery.require();
        try (RolloutRig rig = new RolloutRig(pg, backend, dir);
                CeleryWorker worker = celery.startWorker(
                        backend.url(), WorkerOptions.defaults().withQueues(RolloutRig.WORKERS));
                PgmqWorker pgmqWorker = new PgmqWorker(rig.db, "user_tasks", "user_tasks_shadow")) {
            rig.routes.set(
                    new Route(CeleryTraffic.TASK, RouteMode.SHADOW, 100, "user_tasks_shadow", PayloadFormat.TASK),
                    "test",
                    "shadowed by hand before the rollout");
            rig.bridge("bridge-a");
            CeleryTraffic traffic = new CeleryTraffic(celery, backend.url(), 8);
            Rollout started = rig.start(new RolloutPlan(
                    CeleryTraffic.TASK,
                    // 20 % first: over one 4 s hold at 8 tasks/s some reach the pgmq worker before it breaks (at 5 %
                    // the
                    // expected 1.6 tasks were none in about one run in five)
                    List.of(20, 25, 100),
                    HOLD,
                    null,
                    "user_tasks",
                    "user_tasks_shadow",
                    PayloadFormat.TASK,
                    RolloutRig.WORKERS,
                    false));

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> rig.queries.find(started.id()).orElseThrow().stepIndex() == 1);
            pgmqWorker.failing(true);
            Rollout done = rig.awaitState(
                    started.id(), Duration.ofSeconds(60), RolloutState.ROLLED_BACK, RolloutState.COMPLETED);
            List<String> ids = traffic.stop(CeleryTraffic.TASK);

            assertThat(done.state()).isEqualTo(RolloutState.ROLLED_BACK);
            assertThat(done.cause())
                    .startsWith("breach during the hold: DLQ rate")
                    .endsWith("at step 2/3 (25 %)");
            List<RolloutEvent> events = rig.queries.events(started.id());
            RolloutEvent at25 = events.stream()
                    .filter(e -> e.step().equals("2/3 (25 %)") && e.to() == RolloutState.RAMPING)
                    .findFirst()
                    .orElseThrow();
            RolloutEvent abort = events.stream()
                    .filter(e -> e.to() == RolloutState.ROLLING_BACK)
                    .findFirst()
                    .orElseThrow();
            assertThat(Duration.between(at25.at(), abort.at()))
                    .as("aborted within one hold")
                    .isLessThan(HOLD);
            assertThat(abort.detail()).contains("rolling back to celery: breach during the hold: DLQ rate");
            assertThat(rig.routes.load().routeFor(CeleryTraffic.TASK).mode()).isEqualTo(RouteMode.CELERY);
            assertThat(rig.routes.history(10))
                    .filteredOn(c -> c.taskPattern().equals(CeleryTraffic.TASK))
                    .extracting(RouteChange::newRoute)
                    .first()
                    .isEqualTo("celery");
            assertThat(pgmqWorker.deadLettered)
                    .as("the worker failed some tasks")
                    .isNotEmpty();
            assertThat(done.drained()).as("the rollback moved them back").isPositive();
            assertThat(leftIn(rig, "user_tasks") + leftIn(rig, "user_tasks_dlq"))
                    .isZero();

            await().atMost(Duration.ofSeconds(60))
                    .until(() -> Reconciliation.of(ids, worker.executions(), pgmqWorker.ran)
                            .allRan());
            Reconciliation r = Reconciliation.of(ids, worker.executions(), pgmqWorker.ran);
            assertThat(r.problems()).as("tasks lost or run twice").isEmpty();
            assertThat(pgmqWorker.deadLettered.keySet())
                    .as("every dead-lettered task ran on Celery instead")
                    .allSatisfy(id -> assertThat(r.onCelery()).containsEntry(id, 1));
            assertThat(r.ranOnPgmq())
                    .as("some ran on pgmq before the worker broke")
                    .isPositive();
        }
    }

    private static long leftIn(RolloutRig rig, String queue) {
        return rig.pgmq.metrics(QueueName.of(queue)).queueLength();
    }
}
