package io.celerypgmq.bridge.status;

import java.time.Instant;
import java.util.List;

/**
 * Everything {@code celery-pgmq status}, the dashboard's status panel and the lag gauges show, read at one moment.
 *
 * @param censusAt when Celery's Redis was last counted by task type, {@code null} when never
 * @param censusBy who counted it (a bridge instance, or this command)
 */
public record StatusSnapshot(
        Instant at, List<TaskStatus> tasks, List<QueueLag> queues, Instant censusAt, String censusBy) {

    /** One queue's backlog and lag on one side; {@code lagSeconds} null when nothing waits. */
    public record QueueLag(String side, String queue, long backlog, Double lagSeconds) {}

    public StatusSnapshot {
        tasks = List.copyOf(tasks);
        queues = List.copyOf(queues);
    }
}
