package io.celerypgmq.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.celerypgmq.bridge.route.PayloadFormat;
import io.celerypgmq.bridge.route.Route;
import io.celerypgmq.bridge.route.RouteMode;
import io.celerypgmq.testkit.RealBackends;
import io.celerypgmq.testkit.TestPostgres;
import io.celerypgmq.testkit.TestRedis;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@RealBackends
class RolloutStoreTest {

    @Test
    void twoStartsOfOneTaskTypeAtOnceStartOneAndTellTheOtherWhichIsRunning(
            TestPostgres pg, TestRedis backend, @TempDir Path dir) throws Exception {
        try (RolloutRig rig = new RolloutRig(pg, backend, dir)) {
            rig.routes.set(
                    new Route("tasks.raced", RouteMode.SHADOW, 100, "user_tasks_shadow", PayloadFormat.TASK),
                    "test",
                    null);
            RolloutPlan plan = new RolloutPlan(
                    "tasks.raced",
                    List.of(10, 100),
                    Duration.ofMinutes(1),
                    null,
                    "user_tasks",
                    null,
                    PayloadFormat.TASK,
                    null,
                    false);
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            List<Future<Rollout>> starts = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                starts.add(pool.submit(() -> {
                    go.await();
                    return rig.start(plan);
                }));
            }
            go.countDown();
            List<Rollout> started = new ArrayList<>();
            List<Throwable> refused = new ArrayList<>();
            for (Future<Rollout> f : starts) {
                try {
                    started.add(f.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    refused.add(e.getCause());
                }
            }
            pool.shutdown();

            assertThat(started).hasSize(1);
            assertThat(refused)
                    .singleElement()
                    .isInstanceOf(RolloutConflictException.class)
                    .satisfies(e -> assertThat(e.getMessage())
                            .startsWith("rollout #" + started.get(0).id() + " of tasks.raced is already ramping"));
            assertThat(rig.queries.running()).hasSize(1);
            assertThat(rig.routes.history(10))
                    .filteredOn(c -> c.taskPattern().equals("tasks.raced"))
                    .hasSize(2);
        }
    }
}
