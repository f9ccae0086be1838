package io.celerypgmq.bridge.status;

import io.celerypgmq.bridge.route.RouteState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The status as Prometheus gauges: lag and backlog per queue and per task type on each side, the rate into each side,
 * each task type's route state (one series per state, 1 for the current one) and percentage, what Redis still holds
 * of it, and its rollout. {@link #update} replaces every series with the snapshot's, so a task type that is gone
 * disappears.
 */
public final class StatusMeters {
    private final MultiGauge queueLag;
    private final MultiGauge queueBacklog;
    private final MultiGauge taskLag;
    private final MultiGauge taskBacklog;
    private final MultiGauge taskRate;
    private final MultiGauge routeState;
    private final MultiGauge routePercent;
    private final MultiGauge redisHolds;
    private final MultiGauge rolloutPercent;
    private final MultiGauge nextGate;
    private volatile StatusSnapshot last;

    public StatusMeters(MeterRegistry registry) {
        queueLag = gauge(registry, "celery_pgmq_queue_lag_seconds", "Age of the oldest waiting message, per queue");
        queueBacklog = gauge(registry, "celery_pgmq_queue_backlog", "Messages waiting, per queue");
        taskLag = gauge(registry, "celery_pgmq_task_lag_seconds", "Age of the oldest waiting message, per task type");
        taskBacklog = gauge(registry, "celery_pgmq_task_backlog", "Messages waiting, per task type and side");
        taskRate = gauge(registry, "celery_pgmq_task_rate", "Messages per second into each side, per task type");
        routeState = gauge(registry, "celery_pgmq_route_state", "1 for the task type's current route state");
        routePercent = gauge(registry, "celery_pgmq_route_percent", "The pgmq share of the task type's route");
        redisHolds = gauge(registry, "celery_pgmq_redis_holds", "Messages of the task type Redis held at the census");
        rolloutPercent = gauge(registry, "celery_pgmq_rollout_percent", "The share a running rollout holds");
        nextGate = gauge(registry, "celery_pgmq_rollout_next_gate_seconds", "Seconds to the rollout's next gate");
        Gauge.builder("celery_pgmq_census_age_seconds", this, StatusMeters::censusAge)
                .description("Seconds since Celery's Redis was counted by task type")
                .register(registry);
    }

    public void update(StatusSnapshot s) {
        last = s;
        List<MultiGauge.Row<?>> qLag = new ArrayList<>();
        List<MultiGauge.Row<?>> qBacklog = new ArrayList<>();
        for (StatusSnapshot.QueueLag q : s.queues()) {
            Tags tags = Tags.of("side", q.side(), "queue", q.queue());
            qLag.add(MultiGauge.Row.of(tags, lagOf(q.lagSeconds(), q.backlog())));
            qBacklog.add(MultiGauge.Row.of(tags, q.backlog()));
        }
        queueLag.register(qLag, true);
        queueBacklog.register(qBacklog, true);
        List<MultiGauge.Row<?>> lag = new ArrayList<>();
        List<MultiGauge.Row<?>> backlog = new ArrayList<>();
        List<MultiGauge.Row<?>> rate = new ArrayList<>();
        List<MultiGauge.Row<?>> state = new ArrayList<>();
        List<MultiGauge.Row<?>> percent = new ArrayList<>();
        List<MultiGauge.Row<?>> holds = new ArrayList<>();
        List<MultiGauge.Row<?>> rollout = new ArrayList<>();
        List<MultiGauge.Row<?>> gate = new ArrayList<>();
        for (TaskStatus t : s.tasks()) {
            for (String side : List.of("celery", "pgmq")) {
                TaskStatus.Side v = side.equals("celery") ? t.celery() : t.pgmq();
                Tags tags = Tags.of("task", t.task(), "side", side);
                lag.add(MultiGauge.Row.of(tags, lagOf(v.lagSeconds(), v.backlog())));
                backlog.add(MultiGauge.Row.of(tags, v.backlog() < 0 ? Double.NaN : v.backlog()));
                rate.add(MultiGauge.Row.of(tags, v.ratePerSecond()));
            }
            for (RouteState.Kind k : RouteState.Kind.values()) {
                state.add(MultiGauge.Row.of(
                        Tags.of("task", t.task(), "state", k.label()), t.state().kind() == k ? 1 : 0));
            }
            percent.add(MultiGauge.Row.of(Tags.of("task", t.task()), t.state().percent()));
            long held = t.state().redisHolds();
            holds.add(MultiGauge.Row.of(Tags.of("task", t.task()), held < 0 ? Double.NaN : held));
            if (t.rollout() != null) {
                Tags tags = Tags.of("task", t.task(), "phase", t.rollout().phase());
                rollout.add(MultiGauge.Row.of(tags, t.rollout().percent()));
                gate.add(MultiGauge.Row.of(Tags.of("task", t.task()), gateSeconds(t, s)));
            }
        }
        taskLag.register(lag, true);
        taskBacklog.register(backlog, true);
        taskRate.register(rate, true);
        routeState.register(state, true);
        routePercent.register(percent, true);
        redisHolds.register(holds, true);
        rolloutPercent.register(rollout, true);
        nextGate.register(gate, true);
    }

    private static double gateSeconds(TaskStatus t, StatusSnapshot s) {
        return t.rollout().nextGateAt() == null
                ? Double.NaN
                : Duration.between(s.at(), t.rollout().nextGateAt()).toMillis() / 1000.0;
    }

    private double censusAge() {
        StatusSnapshot s = last;
        return s == null || s.censusAt() == null
                ? Double.NaN
                : Duration.between(s.censusAt(), s.at()).toMillis() / 1000.0;
    }

    /** No readable message waiting is a lag of 0; a side nobody counted is NaN. */
    private static double lagOf(Double seconds, long backlog) {
        return seconds != null ? seconds : backlog < 0 ? Double.NaN : 0;
    }

    private static MultiGauge gauge(MeterRegistry registry, String name, String description) {
        return MultiGauge.builder(name).description(description).register(registry);
    }
}
