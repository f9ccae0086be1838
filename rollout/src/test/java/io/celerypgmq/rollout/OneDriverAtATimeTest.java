package io.celerypgmq.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.celerypgmq.bridge.route.PayloadFormat;
import io.celerypgmq.bridge.route.Route;
import io.celerypgmq.bridge.route.RouteChange;
import io.celerypgmq.bridge.route.RouteMode;
import io.celerypgmq.rollout.lease.DriverLease;
import io.celerypgmq.rollout.lease.Fence;
import io.celerypgmq.rollout.lease.LeaseLostException;
import io.celerypgmq.testkit.RealBackends;
import io.celerypgmq.testkit.TestPostgres;
import io.celerypgmq.testkit.TestRedis;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two bridge instances, one rollout: the lease and its fencing epoch let exactly one of them act at a time. */
@RealBackends
class OneDriverAtATimeTest {

    @Test
    void aDriverWhoseLeaseLapsedAndWasTakenOverCannotMoveTheRolloutAnyMore(
            TestPostgres pg, TestRedis backend, @TempDir Path dir) throws Exception {
        try (RolloutRig rig = new RolloutRig(pg, backend, dir)) {
            DriverLease a = new DriverLease(rig.db, "a", Duration.ofSeconds(1));
            DriverLease b = new DriverLease(rig.db, "b", Duration.ofSeconds(1));
            long epoch = a.acquireOrRenew().orElseThrow();
            assertThat(b.acquireOrRenew()).as("a holds it").isEmpty();
            assertThat(a.acquireOrRenew()).as("renewed at the same epoch").hasValue(epoch);
            shadow(rig, "tasks.fenced");
            Rollout r = rig.start(plan("tasks.fenced"));

            await().atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> b.acquireOrRenew().isPresent());
            assertThat(DriverLease.current(rig.db).orElseThrow().epoch()).isEqualTo(epoch + 1);
            Instant now = Instant.now();
            assertThatThrownBy(() -> rig.store.move(
                            new Fence("a", epoch), r, r.advance(1, now), r.routeOf(1), "stale driver", now))
                    .isInstanceOf(LeaseLostException.class);

            Rollout unchanged = rig.queries.find(r.id()).orElseThrow();
            assertThat(unchanged.version()).isEqualTo(r.version());
            assertThat(unchanged.stepIndex()).isZero();
            assertThat(rig.routes.load().routeFor("tasks.fenced").percent()).isEqualTo(20);
            assertThat(rig.queries.events(r.id())).hasSize(1);
            assertThat(a.acquireOrRenew()).as("b holds it now").isEmpty();

            Optional<Rollout> moved =
                    rig.store.move(new Fence("b", epoch + 1), r, r.advance(1, now), r.routeOf(1), "b's step", now);
            assertThat(moved).hasValueSatisfying(m -> assertThat(m.stepIndex()).isEqualTo(1));
            assertThat(rig.store.move(new Fence("b", epoch + 1), r, r.advance(1, now), r.routeOf(1), "stale read", now))
                    .as("read before b's own move: the version check refuses it")
                    .isEmpty();
        }
    }

    @Test
    void twoBridgeInstancesNeverBothDriveOneRolloutAndTheSurvivorFinishesIt(
            TestPostgres pg, TestRedis backend, @TempDir Path dir) throws Exception {
        try (RolloutRig rig = new RolloutRig(pg, backend, dir);
                PgmqWorker worker = new PgmqWorker(rig.db, "user_tasks", "user_tasks_shadow");
                EncodedTraffic traffic = new EncodedTraffic(rig.redis, 50)) {
            shadow(rig, CeleryTraffic.TASK);
            RolloutRig.Instance first = rig.bridge("bridge-a");
            RolloutRig.Instance second = rig.bridge("bridge-b");
            Rollout r = rig.start(plan(CeleryTraffic.TASK));

            await().atMost(Duration.ofSeconds(20))
                    .until(() -> rig.queries.find(r.id()).orElseThrow().stepIndex() == 1);
            RolloutRig.Instance driving = first.rollouts().lease().fence().isPresent() ? first : second;
            RolloutRig.Instance other = driving == first ? second : first;
            assertThat(other.rollouts().lease().fence())
                    .as("only one instance holds the lease")
                    .isEmpty();
            driving.close();
            Rollout done =
                    rig.awaitState(r.id(), Duration.ofSeconds(40), RolloutState.COMPLETED, RolloutState.ROLLED_BACK);

            assertThat(done.state()).as("cause: %s", done.cause()).isEqualTo(RolloutState.COMPLETED);
            List<RolloutEvent> driven = rig.queries.events(r.id()).stream()
                    .filter(e -> e.epoch() != null)
                    .toList();
            assertThat(driven)
                    .extracting(RolloutEvent::step)
                    .containsExactly("2/3 (60 %)", "3/3 (100 %)", "3/3 (100 %)");
            assertThat(driven).extracting(RolloutEvent::epoch).isSorted();
            Set<String> drivers = driven.stream().map(RolloutEvent::actor).collect(Collectors.toSet());
            assertThat(drivers).as("the survivor took over").hasSize(2);
            assertThat(driven.stream().map(RolloutEvent::epoch).distinct()).hasSize(2);
            assertThat(rig.routes.history(20))
                    .filteredOn(c -> c.taskPattern().equals(CeleryTraffic.TASK))
                    .extracting(RouteChange::newRoute)
                    .containsExactly(
                            "pgmq 100 % → user_tasks",
                            "pgmq 60 % → user_tasks", "pgmq 20 % → user_tasks", "shadow → user_tasks_shadow");
        }
    }

    private static void shadow(RolloutRig rig, String task) {
        rig.routes.set(new Route(task, RouteMode.SHADOW, 100, "user_tasks_shadow", PayloadFormat.TASK), "test", null);
    }

    private static RolloutPlan plan(String task) {
        return new RolloutPlan(
                task,
                List.of(20, 60, 100),
                Duration.ofSeconds(2),
                null,
                "user_tasks",
                "user_tasks_shadow",
                PayloadFormat.TASK,
                RolloutRig.WORKERS,
                false);
    }
}
