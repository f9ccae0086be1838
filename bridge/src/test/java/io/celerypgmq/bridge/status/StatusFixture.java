package io.celerypgmq.bridge.status;

import io.celerypgmq.bridge.route.PayloadFormat;
import io.celerypgmq.bridge.route.Route;
import io.celerypgmq.bridge.route.RouteMode;
import io.celerypgmq.bridge.route.RouteState;
import java.time.Instant;
import java.util.List;

/** A status snapshot with one draining task type under a rollout, for the endpoint and page tests. */
public final class StatusFixture {
    private StatusFixture() {}

    public static StatusSnapshot draining(Instant at) {
        Route route = new Route("welcome", RouteMode.PGMQ, 100, "user_tasks", PayloadFormat.TASK);
        TaskStatus welcome = new TaskStatus(
                "welcome",
                route,
                RouteState.of(route, 4, at.minusSeconds(5)),
                new TaskStatus.Side(1.5, 4, 12.0, true),
                new TaskStatus.Side(9.0, 0, null, false),
                new RolloutSteps.Step(2, "welcome", "ramping", "3/3 (100 %)", 100, at.plusSeconds(30)));
        return new StatusSnapshot(
                at,
                List.of(welcome),
                List.of(new StatusSnapshot.QueueLag("celery", "celery", 4, 12.0)),
                at,
                "bridge-a");
    }
}
