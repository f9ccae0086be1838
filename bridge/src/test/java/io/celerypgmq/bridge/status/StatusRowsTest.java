package io.celerypgmq.bridge.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.celerypgmq.bridge.inspect.TaskCensus;
import io.celerypgmq.bridge.route.PayloadFormat;
import io.celerypgmq.bridge.route.Route;
import io.celerypgmq.bridge.route.RouteMode;
import io.celerypgmq.bridge.route.RouteState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusRowsTest {
    private static final Instant CHECKED = Instant.parse("2026-11-22T08:07:30Z");
    private static final Route ALL_IN = new Route("welcome", RouteMode.PGMQ, 100, "user_tasks", PayloadFormat.TASK);

    @Test
    void aTaskTypeSpreadOverQueuesAddsUpItsCountsAndTakesTheOldestMessageForItsLag() {
        TaskCensus.Result census = new TaskCensus.Result(
                CHECKED,
                List.of(
                        count("celery", "welcome", 3, 1, "08:07:20", false),
                        count("emails", "welcome", 2, 0, "08:07:00", true),
                        count("celery", "report", 5, 0, "08:07:29", false)));
        StatusRows rows = new StatusRows(
                Map.of("welcome", new FlowRates.Rate(0.5, 4.25)),
                List.of(
                        new PgmqTaskBacklog.Row("user_tasks", "welcome", 7, 2.5),
                        new PgmqTaskBacklog.Row("user_tasks_p9", "welcome", 1, 6.0)),
                census,
                Map.of(),
                List.of("user_tasks", "user_tasks_p9"));

        TaskStatus t = rows.task("welcome", ALL_IN);

        assertThat(t.state().kind()).isEqualTo(RouteState.Kind.DRAINING);
        assertThat(t.state().redisHolds()).as("waiting and reserved").isEqualTo(6);
        assertThat(t.celery()).isEqualTo(new TaskStatus.Side(0.5, 5, 30.0, true));
        assertThat(t.pgmq()).isEqualTo(new TaskStatus.Side(4.25, 8, 6.0, false));
        assertThat(StatusLine.of(t, CHECKED))
                .isEqualTo("welcome: draining (Redis still holds 6 messages of that type, last checked at"
                        + " 2026-11-22T08:07:30Z) → user_tasks · celery 0.5 msg/s, backlog 5, lag ≥ 30.0 s · pgmq 4.3"
                        + " msg/s, backlog 8, lag 6.0 s");
    }

    @Test
    void withoutACensusTheCelerySideIsUnknownAndOneHundredPercentIsJustPgmq() {
        StatusRows rows = new StatusRows(Map.of(), List.of(), null, Map.of(), List.of());

        TaskStatus t = rows.task("welcome", ALL_IN);

        assertThat(t.state().kind()).isEqualTo(RouteState.Kind.PGMQ);
        assertThat(t.celery().backlog()).isEqualTo(-1);
        assertThat(StatusLine.of(t, CHECKED))
                .isEqualTo("welcome: pgmq → user_tasks · celery 0.0 msg/s, backlog ?, lag - · pgmq 0.0 msg/s, backlog"
                        + " 0, lag 0 s");
    }

    @Test
    void aRunningRolloutShowsItsStepAndTheTimeToItsNextGate() {
        RolloutSteps.Step step =
                new RolloutSteps.Step(3, "welcome", "ramping", "3/5 (25 %)", 25, CHECKED.plusSeconds(252));
        StatusRows rows = new StatusRows(
                Map.of(), List.of(), new TaskCensus.Result(CHECKED, List.of()), Map.of("welcome", step), List.of());
        Route ramping = new Route("welcome", RouteMode.PGMQ, 25, "user_tasks", PayloadFormat.TASK);

        assertThat(StatusLine.of(rows.task("welcome", ramping), CHECKED))
                .isEqualTo("welcome: ramping 25 % → user_tasks · rollout #3 ramping, step 3/5 (25 %), next gate in 4"
                        + " min 12 s · celery 0.0 msg/s, backlog 0, lag 0 s · pgmq 0.0 msg/s, backlog 0, lag 0 s");
    }

    @Test
    void queuesGetTheirOwnBacklogAndLagOnEachSide() {
        TaskCensus.Result census = new TaskCensus.Result(
                CHECKED,
                List.of(
                        count("celery", "welcome", 3, 0, "08:07:20", false),
                        count("celery", "report", 2, 0, "08:07:25", false)));
        StatusRows rows = new StatusRows(
                Map.of(),
                List.of(
                        new PgmqTaskBacklog.Row("user_tasks", "welcome", 7, 2.5),
                        new PgmqTaskBacklog.Row("user_tasks", "report", 1, null)),
                census,
                Map.of(),
                List.of("user_tasks", "empty_queue"));

        assertThat(rows.queues())
                .containsExactly(
                        new StatusSnapshot.QueueLag("pgmq", "empty_queue", 0, null),
                        new StatusSnapshot.QueueLag("pgmq", "user_tasks", 8, 2.5),
                        new StatusSnapshot.QueueLag("celery", "celery", 5, 10.0));
    }

    private static TaskCensus.Count count(
            String queue, String task, long waiting, long reserved, String seen, boolean lowerBound) {
        return new TaskCensus.Count(
                queue,
                task,
                waiting,
                reserved,
                "tag-" + seen,
                Instant.parse("2026-11-22T" + seen + "Z"),
                lowerBound,
                false);
    }
}
