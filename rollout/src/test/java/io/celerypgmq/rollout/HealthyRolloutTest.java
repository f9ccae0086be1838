package io.celerypgmq.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.celerypgmq.bridge.route.PayloadFormat;
import io.celerypgmq.bridge.route.RouteChange;
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
 * A healthy rollout with no hand on it: real Celery produces, a real Celery worker and a pgmq worker consume, and the
 * bridge's driver walks shadow → 25 % → 50 % → 100 %, each step judged GO by the verifier; every task ran exactly once.
 */
@RealBackends
class HealthyRolloutTest {

    @Test
    void aHealthyRolloutReachesOneHundredPercentUnattendedAndEveryTaskRunsOnce(
            TestPostgres pg, TestRedis backend, @TempDir Path dir) throws Exception {
        RealCelery celery = RealCelery.require();
        try (RolloutRig rig = new RolloutRig(pg, backend, dir);
                CeleryWorker worker = celery.startWorker(
                        backend.url(), WorkerOptions.defaults().withQueues(RolloutRig.WORKERS));
                PgmqWorker pgmqWorker = new PgmqWorker(rig.db, "user_tasks", "user_tasks_shadow")) {
            rig.bridge("bridge-a");
            CeleryTraffic traffic = new CeleryTraffic(celery, backend.url(), 8);
            Rollout started = rig.start(new RolloutPlan(
                    CeleryTraffic.TASK,
                    List.of(25, 50, 100),
                    Duration.ofSeconds(3),
                    Duration.ofSeconds(2),
                    "user_tasks",
                    "user_tasks_shadow",
                    PayloadFormat.TASK,
                    RolloutRig.WORKERS,
                    false));

            Rollout done = rig.awaitState(
                    started.id(), Duration.ofSeconds(90), RolloutState.COMPLETED, RolloutState.ROLLED_BACK);
            List<String> ids = traffic.stop(CeleryTraffic.TASK);
            List<String> bystanders = traffic.ids(CeleryTraffic.BYSTANDER);

            assertThat(done.state()).as("cause: %s", done.cause()).isEqualTo(RolloutState.COMPLETED);
            assertThat(rig.routes.load().routeFor(CeleryTraffic.TASK).describeMode())
                    .isEqualTo("pgmq 100 % → user_tasks");
            List<RolloutEvent> events = rig.queries.events(started.id());
            assertThat(events)
                    .extracting(e -> e.to().label() + " " + e.step())
                    .containsExactly(
                            "shadowing shadow",
                            "ramping 1/3 (25 %)",
                            "ramping 2/3 (50 %)",
                            "ramping 3/3 (100 %)",
                            "completed 3/3 (100 %)");
            assertThat(events.subList(1, 5))
                    .allSatisfy(e -> assertThat(e.detail()).startsWith("GO at the"));
            List<RouteChange> changes = rig.routes.history(20).stream()
                    .filter(c -> c.taskPattern().equals(CeleryTraffic.TASK))
                    .toList();
            List<String> history = changes.stream().map(RouteChange::newRoute).toList();
            assertThat(changes.get(0).reason())
                    .as("the route history says why, briefly; the measurements are in the rollout's events")
                    .isEqualTo("rollout #" + started.id() + " 3/3 (100 %): GO at the gate of step 2/3 (50 %)");
            assertThat(history)
                    .containsExactly(
                            "pgmq 100 % → user_tasks",
                            "pgmq 50 % → user_tasks", "pgmq 25 % → user_tasks", "shadow → user_tasks_shadow");

            await().atMost(Duration.ofSeconds(60))
                    .until(() -> Reconciliation.of(ids, worker.executions(), pgmqWorker.ran)
                            .allRan());
            Reconciliation r = Reconciliation.of(ids, worker.executions(), pgmqWorker.ran);
            assertThat(r.problems()).as("tasks lost or run twice").isEmpty();
            assertThat(r.ranOnPgmq()).as("the last steps sent tasks to pgmq").isPositive();
            assertThat(r.ranOnCelery())
                    .as("the shadow step kept tasks on Celery")
                    .isPositive();
            assertThat(rig.routes.load().routeFor(CeleryTraffic.BYSTANDER).describeMode())
                    .isEqualTo("celery");
            await().atMost(Duration.ofSeconds(30)).until(() -> worker.executions().stream()
                    .map(e -> e.id())
                    .toList()
                    .containsAll(bystanders));
        }
    }
}
