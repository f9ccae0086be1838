package io.celerypgmq.benchmarks.jmh;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/** Runs {@link CodecBenchmark} in one forked JVM and turns the results into figures. */
public final class CodecJmh {
    private CodecJmh() {}

    public static List<JmhFigure> run(boolean quick) {
        Options options = new OptionsBuilder()
                .include(CodecBenchmark.class.getName() + "\\.")
                .forks(1)
                .warmupIterations(quick ? 1 : 3)
                .warmupTime(TimeValue.milliseconds(quick ? 500 : 1_000))
                .measurementIterations(quick ? 2 : 5)
                .measurementTime(TimeValue.milliseconds(quick ? 500 : 1_000))
                .jvmArgs("-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch", "-XX:+UseG1GC") // not the harness JVM's 1 GB
                .verbosity(VerboseMode.SILENT)
                .build();
        Collection<RunResult> results;
        try {
            results = new Runner(options).run();
        } catch (RunnerException e) {
            throw new IllegalStateException("JMH failed", e);
        }
        List<JmhFigure> out = new ArrayList<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark().replace(CodecBenchmark.class.getName() + ".", "");
            double ops = r.getPrimaryResult().getScore();
            double error = r.getPrimaryResult().getScoreError();
            int perOp = name.startsWith("planBatchOf") ? CodecBenchmark.PLAN_BATCH : 1;
            out.add(new JmhFigure(
                    name, Math.round(ops), Double.isNaN(error) ? 0 : Math.round(error), Math.round(ops * perOp)));
        }
        return out;
    }
}
