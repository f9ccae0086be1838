package io.celerypgmq.verifier.uptime;

import java.time.Duration;
import java.time.Instant;

/**
 * Consumer uptime of a queue (or the worst of a task type's queues) over the watch samples in a window: the share of
 * samples in which the oldest visible message had been visible for less than {@code stall}. No samples means not
 * measured, never 100 %.
 */
public record UptimeStats(long samples, long upSamples, Duration stall, Instant first, Instant last, Double worstAge) {
    public static UptimeStats none(Duration stall) {
        return new UptimeStats(0, 0, stall, null, null, null);
    }

    public UptimeStats {
        if (upSamples > samples || upSamples < 0) {
            throw new IllegalArgumentException(upSamples + " up of " + samples + " samples");
        }
    }

    public boolean isMeasured() {
        return samples > 0;
    }

    /** Percentage of samples up; {@code NaN} when not measured. */
    public double percent() {
        return samples == 0 ? Double.NaN : 100.0 * upSamples / samples;
    }

    /** The worse of two (lower uptime); an unmeasured side does not count. */
    public UptimeStats worse(UptimeStats other) {
        if (!other.isMeasured()) {
            return this;
        }
        if (!isMeasured()) {
            return other;
        }
        return other.percent() < percent() ? other : this;
    }
}
