package io.celerypgmq.benchmarks.report;

import io.celerypgmq.benchmarks.probe.CpuMeter;
import java.util.List;

/**
 * One throughput figure of a run: every pass's rate (in round order), their median and spread, and the ratio to the
 * raw hop measured in the same run ({@code ratio}: the 1-thread hop; {@code ratioSameThreads}: the hop with as many
 * threads). Where both were measured in the same rounds the ratio is the median of the per-round ratios, so load from
 * elsewhere that comes and goes between rounds cancels; otherwise it is the ratio of the medians.
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

    public Figure withRatios(Figure hop1, Figure hopSame, boolean paired) {
        Double r = ratioTo(hop1, paired);
        Double rs = ratioTo(hopSame, paired);
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

    private Double ratioTo(Figure hop, boolean paired) {
        if (hop == null || median == null || hop.median() == null) {
            return null;
        }
        if (!paired || perSecond.size() != hop.perSecond().size() || perSecond.isEmpty()) {
            return round(median / hop.median());
        }
        double[] ratios = new double[perSecond.size()];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = perSecond.get(i) / hop.perSecond().get(i);
        }
        java.util.Arrays.sort(ratios);
        int n = ratios.length;
        return round(n % 2 == 1 ? ratios[n / 2] : (ratios[n / 2 - 1] + ratios[n / 2]) / 2);
    }

    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
