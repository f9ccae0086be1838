package io.celerypgmq.bridge.status;

import io.celerypgmq.bridge.inspect.TaskCensus;
import io.celerypgmq.bridge.route.Route;
import io.celerypgmq.bridge.route.RouteState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Puts the status together from what was read: pure, so the arithmetic is tested without stores. */
final class StatusRows {
    private final Map<String, FlowRates.Rate> rates;
    private final List<PgmqTaskBacklog.Row> pgmq;
    private final TaskCensus.Result census;
    private final Map<String, RolloutSteps.Step> steps;
    private final List<String> pgmqQueues;

    /**
     * @param census {@code null} when Redis was never counted
     * @param pgmqQueues the pgmq queues read, empty ones included
     */
    StatusRows(
            Map<String, FlowRates.Rate> rates,
            List<PgmqTaskBacklog.Row> pgmq,
            TaskCensus.Result census,
            Map<String, RolloutSteps.Step> steps,
            List<String> pgmqQueues) {
        this.rates = rates;
        this.pgmq = pgmq;
        this.census = census;
        this.steps = steps;
        this.pgmqQueues = pgmqQueues;
    }

    TaskStatus task(String task, Route route) {
        FlowRates.Rate rate = rates.getOrDefault(task, FlowRates.Rate.NONE);
        TaskStatus.Side celery = new TaskStatus.Side(rate.toCelery(), -1, null, false);
        long holds = -1;
        if (census != null) {
            List<TaskCensus.Count> counts =
                    census.counts().stream().filter(n -> n.task().equals(task)).toList();
            long waiting = counts.stream().mapToLong(TaskCensus.Count::waiting).sum();
            holds = waiting
                    + counts.stream().mapToLong(TaskCensus.Count::reserved).sum();
            TaskCensus.Count oldest = oldest(counts);
            celery = new TaskStatus.Side(
                    rate.toCelery(),
                    waiting,
                    oldest == null ? null : seconds(oldest.oldestSeenAt(), census.checkedAt()),
                    oldest != null && oldest.lowerBound());
        }
        long waiting = 0;
        Double lag = null;
        for (PgmqTaskBacklog.Row r : pgmq) {
            if (r.task().equals(task)) {
                waiting += r.waiting();
                lag = max(lag, r.lagSeconds());
            }
        }
        RouteState state = RouteState.of(route, holds, census == null ? null : census.checkedAt());
        return new TaskStatus(
                task, route, state, celery, new TaskStatus.Side(rate.toPgmq(), waiting, lag, false), steps.get(task));
    }

    /** Backlog and lag per queue: pgmq's queues first, then Celery's. */
    List<StatusSnapshot.QueueLag> queues() {
        Map<String, StatusSnapshot.QueueLag> byQueue = new TreeMap<>();
        pgmqQueues.forEach(q -> byQueue.put(q, new StatusSnapshot.QueueLag("pgmq", q, 0, null)));
        for (PgmqTaskBacklog.Row r : pgmq) {
            byQueue.merge(
                    r.queue(),
                    new StatusSnapshot.QueueLag("pgmq", r.queue(), r.waiting(), r.lagSeconds()),
                    (a, b) -> new StatusSnapshot.QueueLag(
                            "pgmq", a.queue(), a.backlog() + b.backlog(), max(a.lagSeconds(), b.lagSeconds())));
        }
        List<StatusSnapshot.QueueLag> out = new ArrayList<>(byQueue.values());
        if (census != null) {
            Map<String, List<TaskCensus.Count>> celeryQueues = new TreeMap<>();
            census.counts().forEach(n -> celeryQueues
                    .computeIfAbsent(n.queue(), q -> new ArrayList<>())
                    .add(n));
            celeryQueues.forEach((queue, counts) -> {
                TaskCensus.Count oldest = oldest(counts);
                out.add(new StatusSnapshot.QueueLag(
                        "celery",
                        queue,
                        counts.stream().mapToLong(TaskCensus.Count::waiting).sum(),
                        oldest == null ? null : seconds(oldest.oldestSeenAt(), census.checkedAt())));
            });
        }
        return out;
    }

    private static TaskCensus.Count oldest(List<TaskCensus.Count> counts) {
        TaskCensus.Count oldest = null;
        for (TaskCensus.Count n : counts) {
            if (n.oldestSeenAt() != null && (oldest == null || n.oldestSeenAt().isBefore(oldest.oldestSeenAt()))) {
                oldest = n;
            }
        }
        return oldest;
    }

    private static double seconds(Instant from, Instant to) {
        return Math.max(0, Duration.between(from, to).toMillis() / 1000.0);
    }

    private static Double max(Double a, Double b) {
        return a == null ? b : b == null ? a : Double.valueOf(Math.max(a, b));
    }
}
