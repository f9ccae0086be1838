package io.celerypgmq.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.celerypgmq.benchmarks.env.Backends;
import io.celerypgmq.benchmarks.report.Report;
import io.celerypgmq.benchmarks.report.ReportTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./scripts/bench}: measures the bridge against this machine's raw limits and writes the table and JSON. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Measure the forward and reverse bridge against the raw Redis → pgmq limits of this machine.")
public final class BenchMain implements Callable<Integer> {
    @Option(names = "--quick", description = "A short smoke run of every part (about two minutes).")
    boolean quick;

    @Option(names = "--messages", description = "Messages per timed pass (default: 15000; quick: 3000).")
    Integer messages;

    @Option(names = "--rounds", description = "Timed passes per figure (default 5; quick: 3).")
    Integer rounds;

    @Option(
            names = "--warmup",
            description =
                    "Messages per unrecorded warm-up pass of each figure, so the JIT has compiled the hot path"
                            + " before the timed passes (default 15000; quick: 1000). Warm-up rounds repeat, up to four, until the JIT is quiet.")
    Integer warmup;

    @Option(names = "--only", description = "Regex over figure ids, e.g. 'raw\\.hop.*|bridge\\.forward\\.task.*'.")
    String only;

    @Option(names = "--no-jmh", description = "Skip the codec JMH benchmarks.")
    boolean noJmh;

    @Option(names = "--no-latency", description = "Skip the latency measurement.")
    boolean noLatency;

    @Option(names = "--no-memory", description = "Skip the memory check (child JVMs with a small heap).")
    boolean noMemory;

    @Option(names = "--no-profile", description = "Skip the stage timers and the JFR profile.")
    boolean noProfile;

    @Option(
            names = "--compare",
            negatable = true,
            description = "Also time celery migrate and a hand-written Python bridge (default: on, off with --quick).")
    Boolean compare;

    @Option(names = "--out", description = "Where the JSON goes (default: benchmarks/target/bench-results.json).")
    Path out = Path.of("benchmarks/target/bench-results.json");

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }

    @Override
    public Integer call() {
        BenchOptions base = quick ? BenchOptions.quick(out) : BenchOptions.full(out);
        BenchOptions options = new BenchOptions(
                base.mode(),
                messages != null ? messages : base.messages(),
                rounds != null ? rounds : base.rounds(),
                warmup != null ? warmup : base.warmupMessages(),
                base.warmupRounds(),
                only != null ? Pattern.compile(only) : base.only(),
                base.jmh() && !noJmh,
                noLatency ? 0 : base.latencySeconds(),
                noMemory ? 0 : base.memoryMessages(),
                noProfile ? 0 : base.profileMessages(),
                compare != null ? compare : base.compareCelery(),
                out);
        Report report;
        try (Backends backends = Backends.open()) {
            report = new Bench(options, line -> System.err.println("bench: " + line)).run(backends);
        }
        write(report, out);
        System.out.println();
        System.out.print(ReportTable.render(report));
        System.out.println("JSON: " + out.toAbsolutePath());
        return 0;
    }

    public static void write(Report report, Path file) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), report);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
