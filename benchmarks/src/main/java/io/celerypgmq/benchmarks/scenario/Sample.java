package io.celerypgmq.benchmarks.scenario;

import io.celerypgmq.benchmarks.probe.CpuMeter;

/** One timed pass. */
public record Sample(long moved, long arrived, long nanos, CpuMeter.Usage cpu) {
    public double perSecond() {
        return nanos == 0 ? 0 : moved * 1e9 / nanos;
    }
}
