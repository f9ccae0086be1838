package io.celerypgmq.benchmarks.report;

import io.celerypgmq.benchmarks.probe.CpuMeter;
import java.util.List;

/**
 * One throughput figure of a run: every pass's rate, their median and spread, and the ratio to the raw hop measured
 * in the same run ({@code ratio}: the 1-thread hop; {@code ratioSameThreads}: the hop with as many threads).
 *
 * @param cpu cores busy during the median pass, per party
 * @param cpuMicrosPerMessage CPU of this JVM, Postgres and Redis together per message moved in the median pass: far
 *     less disturbed by other load than msg/s, and on an idle machine {@code cores × 1e6 / this} bounds throughput
 * @param error why the figure could not be measured, else {@code null}
 */
public record Figure(
        String id,
        String label,
        String group,
        int threads,
        int messagesPerPass,
        List<Double> perSecond,
        Double median,
        Double min,
        Double max,
        Double ratio,
        Double ratioSameThreads,
        Double target,
        Boolean meetsTarget,
        CpuMeter.Usage cpu,
        Double cpuMicrosPerMessage,
        Double peakHeapMb,
        String error) {

    public Figure withRatios(Double hop1, Double hopSame) {
        Double r = median == null || hop1 == null ? null : round(median / hop1);
        Double rs = median == null || hopSame == null ? null : round(median / hopSame);
        Boolean meets = target == null || rs == null ? null : rs >= target;
        return new Figure(
                id,
                label,
                group,
                threads,
                messagesPerPass,
                perSecond,
                median,
                min,
                max,
                r,
                rs,
                target,
                meets,
                cpu,
                cpuMicrosPerMessage,
                peakHeapMb,
                error);
    }

    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
