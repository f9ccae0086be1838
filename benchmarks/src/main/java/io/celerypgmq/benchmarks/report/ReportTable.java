package io.celerypgmq.benchmarks.report;

import io.celerypgmq.benchmarks.jmh.JmhFigure;
import io.celerypgmq.benchmarks.probe.CpuMeter;
import io.celerypgmq.benchmarks.probe.Latency;
import io.celerypgmq.benchmarks.probe.MemoryCheck;
import io.celerypgmq.benchmarks.probe.StageProfile;
import io.celerypgmq.benchmarks.probe.Stages;
import java.util.Locale;
import java.util.Map;

/** The report as the plain-text tables {@code ./scripts/bench} prints. */
public final class ReportTable {
    private ReportTable() {}

    public static String render(Report r) {
        StringBuilder out = new StringBuilder();
        line(out, "celery-pgmq bench (%s), %s, %.0f s", r.mode(), r.startedAt(), r.seconds());
        line(
                out,
                "machine: %d cores, %s GB, %s; load average %s at start, %s at end",
                r.machineAtStart().cores(),
                r.machineAtStart().memoryGb(),
                r.machineAtStart().java(),
                r.machineAtStart().loadAverage(),
                r.loadAverageAtEnd());
        line(out, "stores: %s; %s", r.backends(), r.pgmq());
        line(
                out,
                "messages: %d bytes each (Celery protocol 2, JSON), %d per pass, %d rounds: median [min – max]",
                r.messageBytes(),
                r.messagesPerPass(),
                r.rounds());
        out.append('\n');
        line(
                out,
                "%-60s %9s  %-19s %6s %6s %6s %7s  %s",
                "THROUGHPUT",
                "msg/s",
                "spread",
                "×hop",
                "×hopN",
                "target",
                "cpu µs",
                "cores jvm/pg/redis/other");
        for (Figure f : r.throughput()) {
            row(out, f);
        }
        for (Figure f : r.comparisons()) {
            row(out, f);
        }
        if (!r.latency().isEmpty()) {
            out.append('\n');
            line(
                    out,
                    "%-60s %8s %8s %8s %8s   %s",
                    "LATENCY of the inline hop (LPUSH → visible in pgmq), ms",
                    "p50",
                    "p90",
                    "p99",
                    "max",
                    "pump committed p50/p99");
            for (Latency l : r.latency()) {
                line(
                        out,
                        "%-60s %8.1f %8.1f %8.1f %8.1f   %.1f / %.1f",
                        String.format(
                                Locale.ROOT,
                                "  %d msg/s, idle wait %d ms, b%d (%d msgs, %d missing)",
                                l.ratePerSecond(),
                                l.idleWaitMillis(),
                                l.batchSize(),
                                l.measured(),
                                l.missing()),
                        l.visibleP50(),
                        l.visibleP90(),
                        l.visibleP99(),
                        l.visibleMax(),
                        l.handedOffP50(),
                        l.handedOffP99());
            }
        }
        if (!r.memory().isEmpty()) {
            out.append('\n');
            line(out, "%-60s %10s %10s %10s", "MEMORY (forward pump in a child JVM)", "peak heap", "peak RSS", "moved");
            for (MemoryCheck m : r.memory()) {
                line(
                        out,
                        "%-60s %7s MB %7s MB %10s",
                        String.format(
                                Locale.ROOT,
                                "  queue of %d msgs (%.0f MB), b%d, -Xmx%dm",
                                m.messages(),
                                m.queueMb(),
                                m.batchSize(),
                                m.maxHeapMb()),
                        m.peakHeapMb(),
                        m.peakRssMb(),
                        m.ok() ? "all" : "FAILED " + m.error());
            }
        }
        if (!r.codec().isEmpty()) {
            out.append('\n');
            line(out, "%-60s %12s %10s %12s", "CODEC (JMH, per operation, no I/O)", "ops/s", "± error", "msg/s");
            for (JmhFigure j : r.codec()) {
                line(
                        out,
                        "  %-58s %12.0f %10.0f %12.0f",
                        j.benchmark(),
                        j.opsPerSecond(),
                        j.error(),
                        j.messagesPerSecond());
            }
        }
        for (StageProfile.Breakdown b : r.stages()) {
            out.append('\n');
            line(
                    out,
                    "%-60s %10s %8s",
                    "WHERE THE FORWARD PUMP'S TIME GOES (" + b.format() + ", b" + b.batchSize() + ", "
                            + String.format(Locale.ROOT, "%.0f", b.perSecond()) + " msg/s)",
                    "µs/msg",
                    "share");
            for (Map.Entry<String, Stages.StageShare> e : b.stages().entrySet()) {
                line(
                        out,
                        "  %-58s %10.2f %7.1f%%",
                        e.getKey(),
                        e.getValue().microsPerMessage(),
                        e.getValue().percent());
            }
        }
        r.jfr().forEach((pass, jfr) -> {
            out.append('\n');
            line(out, "JFR, %s: pump thread CPU samples (%d), by stage (outer › inner)", pass, jfr.samples());
            jfr.stagePercent().forEach((k, v) -> line(out, "  %-58s %7.1f%%", k, v));
            line(out, "JFR, %s: hottest methods (self)", pass);
            jfr.topSelfPercent().forEach((k, v) -> line(out, "  %-58s %7.1f%%", shorten(k, 58), v));
        });
        out.append('\n');
        line(out, "harness JVM: peak heap %s MB, peak RSS %s MB", r.harnessPeakHeapMb(), r.harnessPeakRssMb());
        r.notes().forEach(n -> line(out, "note: %s", n));
        return out.toString();
    }

    private static void row(StringBuilder out, Figure f) {
        if (f.median() == null) {
            line(out, "%-60s %9s  %s", shorten(f.label(), 60), "—", f.error());
            return;
        }
        CpuMeter.Usage c = f.cpu();
        String cpu = c == null
                ? ""
                : String.format(Locale.ROOT, "%s/%s/%s/%s", c.jvm(), c.postgres(), c.redis(), c.others());
        String target = f.target() == null
                ? ""
                : String.format(Locale.ROOT, "%.1f%s", f.target(), Boolean.TRUE.equals(f.meetsTarget()) ? "✓" : "✗");
        line(
                out,
                "%-60s %9.0f  %-19s %6s %6s %6s %7s  %s",
                shorten(f.label(), 60),
                f.median(),
                String.format(Locale.ROOT, "[%.0f – %.0f]", f.min(), f.max()),
                ratio(f.ratio()),
                f.threads() > 1 ? ratio(f.ratioSameThreads()) : "",
                target,
                f.cpuMicrosPerMessage() == null || f.group().equals("other")
                        ? "" // the tool's own process counts under "other"
                        : String.format(Locale.ROOT, "%.0f", f.cpuMicrosPerMessage()),
                cpu);
    }

    private static String ratio(Double r) {
        return r == null ? "" : String.format(Locale.ROOT, "%.2f", r);
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : "…" + s.substring(s.length() - max + 1);
    }

    private static void line(StringBuilder out, String format, Object... args) {
        out.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}
