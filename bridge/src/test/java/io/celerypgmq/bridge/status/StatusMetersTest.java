package io.celerypgmq.bridge.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.celerypgmq.bridge.route.PayloadFormat;
import io.celerypgmq.bridge.route.Route;
import io.celerypgmq.bridge.route.RouteMode;
import io.celerypgmq.bridge.route.RouteState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusMetersTest {
    private static final Instant AT = Instant.parse("2026-11-22T08:07:30Z");

    @Test
    void lagBacklogAndRouteStateArePublishedPerQueueAndPerTaskTypeAndGoneOnesDisappear() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        StatusMeters meters = new StatusMeters(registry);
        Route route = new Route("welcome", RouteMode.PGMQ, 100, "user_tasks", PayloadFormat.TASK);
        TaskStatus welcome = new TaskStatus(
                "welcome",
                route,
                RouteState.of(route, 4, AT.minusSeconds(5)),
                new TaskStatus.Side(1.5, 4, 12.0, false),
                new TaskStatus.Side(9.0, 0, null, false),
                new RolloutSteps.Step(2, "welcome", "ramping", "3/3 (100 %)", 100, AT.plusSeconds(30)));
        meters.update(new StatusSnapshot(
                AT,
                List.of(welcome),
                List.of(
                        new StatusSnapshot.QueueLag("pgmq", "user_tasks", 0, null),
                        new StatusSnapshot.QueueLag("celery", "celery", 4, 12.0)),
                AT.minusSeconds(5),
                "bridge-a"));

        assertThat(gauge(registry, "celery_pgmq_queue_lag_seconds", "queue", "celery"))
                .isEqualTo(12.0);
        assertThat(gauge(registry, "celery_pgmq_queue_lag_seconds", "queue", "user_tasks"))
                .as("nothing waiting is no lag")
                .isZero();
        assertThat(registry.get("celery_pgmq_task_lag_seconds")
                        .tags("task", "welcome", "side", "celery")
                        .gauge()
                        .value())
                .isEqualTo(12.0);
        assertThat(registry.get("celery_pgmq_route_state")
                        .tags("task", "welcome", "state", "draining")
                        .gauge()
                        .value())
                .isEqualTo(1);
        assertThat(registry.get("celery_pgmq_route_state")
                        .tags("task", "welcome", "state", "drained")
                        .gauge()
                        .value())
                .isZero();
        assertThat(gauge(registry, "celery_pgmq_redis_holds", "task", "welcome"))
                .isEqualTo(4);
        assertThat(gauge(registry, "celery_pgmq_rollout_next_gate_seconds", "task", "welcome"))
                .isEqualTo(30);
        assertThat(registry.get("celery_pgmq_census_age_seconds").gauge().value())
                .isEqualTo(5);

        meters.update(new StatusSnapshot(AT, List.of(), List.of(), null, null));

        assertThat(registry.find("celery_pgmq_route_state").gauges()).isEmpty();
        assertThat(registry.find("celery_pgmq_queue_lag_seconds").gauges()).isEmpty();
        assertThat(registry.get("celery_pgmq_census_age_seconds").gauge().value())
                .isNaN();
    }

    private static double gauge(SimpleMeterRegistry registry, String name, String tag, String value) {
        return registry.get(name).tag(tag, value).gauge().value();
    }
}
