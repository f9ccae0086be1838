package io.celerypgmq.verifier.uptime;

import java.time.Instant;
import java.util.Objects;

/**
 * One queue's state at one watch sample.
 *
 * @param oldestVisibleAgeSeconds how long the oldest message a consumer could read has been readable (since its
 *     {@code vt}), or {@code null} when none is visible
 * @param visibleLength {@code null} where pgmq does not report it
 */
public record QueueSample(
        Instant sampledAt,
        String queue,
        long queueLength,
        Long visibleLength,
        Double oldestVisibleAgeSeconds,
        Double oldestAgeSeconds,
        long totalMessages) {

    public QueueSample {
        Objects.requireNonNull(sampledAt, "sampledAt");
        Objects.requireNonNull(queue, "queue");
    }

    /** Whether the queue's consumers were keeping up: nothing readable has waited {@code stallSeconds} or longer. */
    public boolean isUp(double stallSeconds) {
        return oldestVisibleAgeSeconds == null || oldestVisibleAgeSeconds < stallSeconds;
    }
}
