package io.celerypgmq.rollout;

import io.celerypgmq.config.ConfigSource;
import io.celerypgmq.config.Setting;
import java.time.Duration;
import java.util.List;

/**
 * How the rollout driver works, validated at construction. Holds and steps are per rollout (flags of
 * {@code rollout start}); these are how often it looks.
 *
 * @param checkInterval how often the driver samples the queues and checks running rollouts for breaches and gates
 * @param lease how long the rollout lease lasts without renewal (renewed every third of it)
 * @param censusInterval how often the lease holder counts Celery's Redis by task type
 * @param censusMaxPerQueue messages a census reads per Celery queue at most
 * @param rollbackSettle how long after routing back to Celery a rollback keeps draining before it may finish, so
 *     batches other bridge instances had in hand under the old route are drained too
 */
public record RolloutSettings(
        Duration checkInterval,
        Duration lease,
        Duration censusInterval,
        int censusMaxPerQueue,
        Duration rollbackSettle) {

    public static final Setting<Integer> CHECK_INTERVAL_MS = Setting.integer(
            "rollout.check-interval-ms",
            "How often the bridge holding the rollout lease samples pgmq queues and checks running rollouts for"
                    + " breaches and due gates.",
            5000,
            100,
            600_000);
    public static final Setting<Integer> LEASE_SECONDS = Setting.integer(
            "rollout.lease-seconds",
            "How long the rollout lease lasts unless renewed; another bridge instance takes over after it lapses.",
            15,
            2,
            600);
    public static final Setting<Integer> CENSUS_INTERVAL_SECONDS = Setting.integer(
            "rollout.census-interval-seconds",
            "How often the lease holder counts Celery's Redis lists by task type (draining/drained, Celery-side"
                    + " backlog and lag).",
            10,
            1,
            3600);
    public static final Setting<Integer> CENSUS_MAX_PER_QUEUE = Setting.integer(
            "rollout.census-max-per-queue",
            "Messages the census reads per Celery queue at most; beyond it counts are lower bounds.",
            100_000,
            1,
            10_000_000);
    public static final Setting<Integer> ROLLBACK_SETTLE_MS = Setting.integer(
            "rollout.rollback-settle-ms",
            "How long a rollback keeps draining after routing back to Celery before it may finish.",
            3000,
            0,
            600_000);

    public static final List<Setting<?>> SETTINGS = List.of(
            CHECK_INTERVAL_MS, LEASE_SECONDS, CENSUS_INTERVAL_SECONDS, CENSUS_MAX_PER_QUEUE, ROLLBACK_SETTLE_MS);

    public RolloutSettings {
        if (checkInterval.toMillis() < 100) {
            throw new IllegalArgumentException(CHECK_INTERVAL_MS.key() + " must be at least 100 ms");
        }
        if (lease.toMillis() < 2000) {
            throw new IllegalArgumentException(LEASE_SECONDS.key() + " must be at least 2 s");
        }
        if (censusMaxPerQueue < 1) {
            throw new IllegalArgumentException(CENSUS_MAX_PER_QUEUE.key() + " must be at least 1");
        }
        if (rollbackSettle.isNegative()) {
            throw new IllegalArgumentException(ROLLBACK_SETTLE_MS.key() + " must not be negative");
        }
    }

    public static RolloutSettings from(ConfigSource source) {
        return new RolloutSettings(
                Duration.ofMillis(source.get(CHECK_INTERVAL_MS)),
                Duration.ofSeconds(source.get(LEASE_SECONDS)),
                Duration.ofSeconds(source.get(CENSUS_INTERVAL_SECONDS)),
                source.get(CENSUS_MAX_PER_QUEUE),
                Duration.ofMillis(source.get(ROLLBACK_SETTLE_MS)));
    }
}
