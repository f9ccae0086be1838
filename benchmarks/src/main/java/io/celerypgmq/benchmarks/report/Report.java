package io.celerypgmq.benchmarks.report;

import io.celerypgmq.benchmarks.jmh.JmhFigure;
import io.celerypgmq.benchmarks.probe.JfrProfile;
import io.celerypgmq.benchmarks.probe.Latency;
import io.celerypgmq.benchmarks.probe.MemoryCheck;
import io.celerypgmq.benchmarks.probe.StageProfile;
import java.util.List;
import java.util.Map;

/**
 * Everything one bench run measured; written as {@code bench-results.json} and printed as a table.
 *
 * @param rawHop the 1-thread raw hop's median, msg/s: the yardstick of every {@code ratio}
 * @param comparisons other tools moving the same messages (celery migrate, a hand-written Python bridge), if run
 */
public record Report(
        String startedAt,
        double seconds,
        String mode,
        Machine machineAtStart,
        String loadAverageAtEnd,
        String backends,
        String pgmq,
        int messageBytes,
        int messagesPerPass,
        int rounds,
        Double rawHop,
        List<Figure> throughput,
        List<Figure> comparisons,
        List<Latency> latency,
        List<MemoryCheck> memory,
        List<JmhFigure> codec,
        List<StageProfile.Breakdown> stages,
        Map<String, JfrProfile.Result> jfr,
        Double harnessPeakHeapMb,
        Double harnessPeakRssMb,
        List<String> notes) {}
