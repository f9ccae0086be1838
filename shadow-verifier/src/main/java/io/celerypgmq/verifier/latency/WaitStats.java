package io.celerypgmq.verifier.latency;

import java.time.Duration;
import java.util.List;

/**
 * Queue-wait percentiles of one task type (or all), nearest-rank ({@code percentile_disc}): p95 is a wait some
 * message actually had, and 95 % of the measured messages waited no longer.
 *
 * @param measured messages with a known (or, still waiting, lower-bound) wait
 * @param stillWaiting of those, visible and unread: counted with the time they have waited so far
 * @param excludedRedelivered read more than once: pgmq kept only their last read
 * @param excludedUnknown finished, but when they were first read is not known (e.g. dead-lettered without a completion
 *     log)
 * @param histogram counts per {@link WaitHistogram} bucket
 */
public record WaitStats(
        long measured,
        long stillWaiting,
        long excludedRedelivered,
        long excludedUnknown,
        Duration p50,
        Duration p95,
        Duration p99,
        Duration max,
        List<Long> histogram) {
    public static final WaitStats NONE = new WaitStats(0, 0, 0, 0, null, null, null, null, WaitHistogram.empty());

    public WaitStats {
        histogram = List.copyOf(histogram);
        if (histogram.size() != WaitHistogram.BUCKETS) {
            throw new IllegalArgumentException(
                    "histogram has " + histogram.size() + " buckets, expected " + WaitHistogram.BUCKETS);
        }
    }

    public boolean isMeasured() {
        return measured > 0;
    }
}
