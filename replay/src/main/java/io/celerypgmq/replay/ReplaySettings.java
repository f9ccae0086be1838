package io.celerypgmq.replay;

import io.celerypgmq.config.ConfigSource;
import io.celerypgmq.config.Setting;
import java.time.Duration;
import java.util.List;

/**
 * Defaults of every replay job; command-line flags override them per job.
 *
 * @param batchSize messages taken and handed over per transaction
 * @param visibilityTimeout Celery's {@code broker_transport_options.visibility_timeout}: an {@code unacked} entry
 *     older than this would be restored by Celery itself, so replay may take it
 * @param progressInterval how often a non-terminal run prints a progress line
 */
public record ReplaySettings(int batchSize, Duration visibilityTimeout, Duration progressInterval) {
    public static final Setting<Integer> BATCH_SIZE = Setting.integer(
            "replay.batch-size", "Messages a replay job takes and hands over in one transaction.", 500, 1, 5000);
    public static final Setting<Integer> VISIBILITY_TIMEOUT = Setting.integer(
            "replay.visibility-timeout-seconds",
            "Celery's broker visibility_timeout: unacked entries delivered longer ago than this belong to a dead"
                    + " worker (kombu would restore them), so replay may move them.",
            3600,
            1,
            7 * 24 * 3600);
    public static final Setting<Integer> PROGRESS_INTERVAL = Setting.integer(
            "replay.progress-interval-seconds",
            "Seconds between progress lines when the output is not a terminal.",
            5,
            1,
            3600);

    public static final List<Setting<?>> SETTINGS = List.of(BATCH_SIZE, VISIBILITY_TIMEOUT, PROGRESS_INTERVAL);

    public ReplaySettings {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, was " + batchSize);
        }
        if (visibilityTimeout.isNegative() || visibilityTimeout.isZero()) {
            throw new IllegalArgumentException("visibility timeout must be positive, was " + visibilityTimeout);
        }
    }

    public static ReplaySettings defaults() {
        return new ReplaySettings(500, Duration.ofSeconds(3600), Duration.ofSeconds(5));
    }

    public static ReplaySettings from(ConfigSource config) {
        return new ReplaySettings(
                config.get(BATCH_SIZE),
                Duration.ofSeconds(config.get(VISIBILITY_TIMEOUT)),
                Duration.ofSeconds(config.get(PROGRESS_INTERVAL)));
    }

    public ReplaySettings withBatchSize(int value) {
        return new ReplaySettings(value, visibilityTimeout, progressInterval);
    }

    public ReplaySettings withVisibilityTimeout(Duration value) {
        return new ReplaySettings(batchSize, value, progressInterval);
    }
}
