package io.celerypgmq.benchmarks.scenario;

import io.celerypgmq.benchmarks.probe.CpuMeter;
import io.celerypgmq.benchmarks.probe.MemoryProbe;
import io.celerypgmq.benchmarks.report.Figure;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Measures every scenario in rounds: one pass of each per round, rounds repeated, so a burst of load from elsewhere
 * on the machine hits all figures alike instead of one. An optional unrecorded warm-up round lets the JIT settle.
 */
public final class ThroughputRunner {
    private final CpuMeter cpu;
    private final Consumer<String> log;

    public ThroughputRunner(CpuMeter cpu, Consumer<String> log) {
        this.cpu = cpu;
        this.log = log;
    }

    public List<Figure> run(List<Scenario> scenarios, int messages, int rounds, int warmupMessages) {
        Map<String, List<Sample>> samples = new LinkedHashMap<>();
        Map<String, Double> peakHeap = new LinkedHashMap<>();
        Map<String, String> errors = new LinkedHashMap<>();
        scenarios.forEach(s -> samples.put(s.id(), new ArrayList<>()));
        for (int round = warmupMessages > 0 ? 0 : 1; round <= rounds; round++) {
            boolean warmup = round == 0;
            for (Scenario s : scenarios) {
                if (errors.containsKey(s.id())) {
                    continue;
                }
                try {
                    Sample sample = pass(s, warmup ? warmupMessages : messages);
                    if (!warmup) {
                        samples.get(s.id()).add(sample);
                        peakHeap.merge(s.id(), MemoryProbe.peakHeapMb(), Math::max);
                    }
                    log.accept(String.format(
                            "  %s %-58s %9.0f msg/s",
                            warmup ? "warm-up" : "round " + round, s.label(), sample.perSecond()));
                } catch (RuntimeException e) {
                    errors.put(s.id(), e.toString());
                    log.accept("  FAILED " + s.label() + ": " + e);
                }
            }
        }
        List<Figure> out = new ArrayList<>();
        for (Scenario s : scenarios) {
            out.add(figure(s, messages, samples.get(s.id()), peakHeap.get(s.id()), errors.get(s.id())));
        }
        return out;
    }

    private Sample pass(Scenario s, int messages) {
        s.prepare(messages);
        System.gc(); // start every pass from the same heap state
        MemoryProbe.resetPeaks();
        CpuMeter.Running meter = cpu.start();
        long began = System.nanoTime();
        long moved = s.run();
        long nanos = System.nanoTime() - began;
        CpuMeter.Usage usage = meter.stop();
        long arrived = s.check();
        if (moved != messages || arrived != messages) {
            throw new IllegalStateException(
                    s.id() + " moved " + moved + " and delivered " + arrived + " of " + messages + " messages");
        }
        return new Sample(moved, arrived, nanos, usage);
    }

    private static Double cpuPerMessage(Sample s) {
        CpuMeter.Usage u = s.cpu();
        if (u == null || u.jvm() == null || u.postgres() == null || s.perSecond() == 0) {
            return null;
        }
        double cores = u.jvm() + u.postgres() + (u.redis() == null ? 0 : u.redis());
        return Math.round(cores * 1e6 / s.perSecond() * 10) / 10.0;
    }

    private static Figure figure(Scenario s, int messages, List<Sample> passes, Double heap, String error) {
        if (passes.isEmpty()) {
            return new Figure(
                    s.id(),
                    s.label(),
                    s.group(),
                    s.threads(),
                    messages,
                    List.of(),
                    null,
                    null,
                    null,
                    null,
                    null,
                    s.target(),
                    null,
                    null,
                    null,
                    heap,
                    error == null ? "no pass measured" : error);
        }
        List<Sample> sorted = new ArrayList<>(passes);
        sorted.sort(Comparator.comparingDouble(Sample::perSecond));
        Sample median = sorted.get(sorted.size() / 2);
        double mid = sorted.size() % 2 == 1
                ? median.perSecond()
                : (sorted.get(sorted.size() / 2 - 1).perSecond() + median.perSecond()) / 2;
        return new Figure(
                s.id(),
                s.label(),
                s.group(),
                s.threads(),
                messages,
                passes.stream().map(p -> (double) Math.round(p.perSecond())).toList(),
                (double) Math.round(mid),
                (double) Math.round(sorted.get(0).perSecond()),
                (double) Math.round(sorted.get(sorted.size() - 1).perSecond()),
                null,
                null,
                s.target(),
                null,
                median.cpu(),
                cpuPerMessage(median),
                heap,
                error);
    }
}
