package io.celerypgmq.benchmarks.probe;

import java.util.LinkedHashMap;
import java.util.Map;

/** Wall time spent per named stage, in the order stages were first seen. */
public final class Stages {
    private final Map<String, Long> nanos = new LinkedHashMap<>();
    private long mark = System.nanoTime();

    /** Restarts the clock without charging anyone (e.g. at the top of a loop). */
    public void reset() {
        mark = System.nanoTime();
    }

    /** Charges the time since the last call to {@code stage}. */
    public void lap(String stage) {
        long now = System.nanoTime();
        nanos.merge(stage, now - mark, Long::sum);
        mark = now;
    }

    /** Charges {@code n} nanoseconds to {@code stage} (timed elsewhere). */
    public void add(String stage, long n) {
        nanos.merge(stage, n, Long::sum);
    }

    /** Microseconds per message for each stage, with the share of the total in percent. */
    public Map<String, StageShare> perMessage(long messages) {
        long total = nanos.values().stream().mapToLong(Long::longValue).sum();
        Map<String, StageShare> out = new LinkedHashMap<>();
        nanos.forEach((k, v) -> out.put(
                k,
                new StageShare(Math.round(v / 1e3 / messages * 100) / 100.0, Math.round(v * 1000.0 / total) / 10.0)));
        return out;
    }

    /** One stage: microseconds per message and percent of the pass. */
    public record StageShare(double microsPerMessage, double percent) {}
}
