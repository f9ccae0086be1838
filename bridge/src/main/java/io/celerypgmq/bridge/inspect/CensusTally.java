package io.celerypgmq.bridge.inspect;

import java.time.Instant;

/** What a census pass found of one task type in one Celery queue, added up message by message. */
final class CensusTally {
    private final String queue;
    private final String task;
    private long waiting;
    private long reserved;
    private String oldestIdentity;
    private Instant oldestSeenAt;
    private boolean lowerBound;
    private boolean capped;

    CensusTally(String queue, String task) {
        this.queue = queue;
        this.task = task;
    }

    String queue() {
        return queue;
    }

    void waiting(String identity, Instant firstSeen, boolean seenAtFirstPass) {
        waiting++;
        if (oldestSeenAt == null || firstSeen.isBefore(oldestSeenAt)) {
            oldestSeenAt = firstSeen;
            oldestIdentity = identity;
            lowerBound = seenAtFirstPass;
        }
    }

    void reserved() {
        reserved++;
    }

    void cap() {
        capped = true;
    }

    TaskCensus.Count count() {
        return new TaskCensus.Count(queue, task, waiting, reserved, oldestIdentity, oldestSeenAt, lowerBound, capped);
    }
}
