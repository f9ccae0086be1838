package io.celerypgmq.verifier.criteria;

import java.time.Duration;
import java.util.Objects;

/**
 * What passes, for one task type. Defaults are the seeds' success criteria: DLQ rate below 1 %, consumer uptime above
 * 99.9 %, p95 task latency below 5 s; zero loss is always required.
 *
 * @param stall how long a visible message may wait before its queue's consumers count as down in a watch sample
 * @param maxShadowMismatchPercent share of compared shadow tasks allowed to disagree (0: none)
 */
public record Thresholds(
        double maxDlqRatePercent,
        double minUptimePercent,
        Duration maxP95Wait,
        Duration stall,
        double maxShadowMismatchPercent) {
    public static final double DEFAULT_MAX_DLQ_RATE_PERCENT = 1.0;
    public static final double DEFAULT_MIN_UPTIME_PERCENT = 99.9;
    public static final Duration DEFAULT_MAX_P95_WAIT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_STALL = Duration.ofSeconds(30);
    public static final double DEFAULT_MAX_SHADOW_MISMATCH_PERCENT = 0.0;

    public static final Thresholds DEFAULTS = new Thresholds(
            DEFAULT_MAX_DLQ_RATE_PERCENT,
            DEFAULT_MIN_UPTIME_PERCENT,
            DEFAULT_MAX_P95_WAIT,
            DEFAULT_STALL,
            DEFAULT_MAX_SHADOW_MISMATCH_PERCENT);

    public Thresholds {
        percent("max-dlq-rate-percent", maxDlqRatePercent);
        percent("min-uptime-percent", minUptimePercent);
        percent("max-shadow-mismatch-percent", maxShadowMismatchPercent);
        positive("max-p95-wait-seconds", maxP95Wait);
        positive("stall-seconds", stall);
    }

    private static void percent(String key, double value) {
        if (!(value >= 0 && value <= 100)) {
            throw new IllegalArgumentException(key + " must be between 0 and 100, was " + value);
        }
    }

    private static void positive(String key, Duration value) {
        Objects.requireNonNull(value, key);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(key + " must be more than 0 seconds, was " + value);
        }
    }
}
