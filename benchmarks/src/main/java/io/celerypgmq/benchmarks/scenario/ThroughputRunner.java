package io.celerypgmq.benchmarks.scenario;

import io.celerypgmq.benchmarks.probe.CpuMeter;
import io.celerypgmq.benchmarks.probe.MemoryProbe;
import io.celerypgmq.benchmarks.report.Figure;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Measures every scenario in rounds: one pass of each per round, rounds repeated, so a burst of load from elsewhere
 * on the machine hits all figures alike instead of one. Unrecorded warm-up rounds come first, repeated until the JIT
 * is quiet: a pump that runs for days is measured as it runs, not while C2 is still compiling its hot path on the same
 * two cores (on this machine that takes seconds of compiler CPU, far more than one short pass). Every pass starts
 * after a forced Postgres checkpoint, so none gets one started by the WAL of the passes before it.
 */
public final class ThroughputRunner {
    /** The JIT counts as quiet once it compiled for less than this share of a warm-up round's wall time. */
    static final double QUIET_JIT_SHARE = 0.03;

    private final CpuMeter cpu;
    private final Consumer<String> log;
    private final BooleanSupplier checkpoint;
    private boolean saidNoCheckpoint;
    private final CompilationMXBean jit = ManagementFactory.getCompilationMXBean();

    /** @param checkpoint forces a Postgres checkpoint before each pass; false when it could not */
    public ThroughputRunner(CpuMeter cpu, Consumer<String> log, BooleanSupplier checkpoint) {
        this.cpu = cpu;
        this.log = log;
        this.checkpoint = checkpoint;
    }

    /**
     * @param warmupMessages messages per warm-up pass (0: no warm-up)
     * @param warmupRounds warm-up rounds at most, however busy the JIT stays
     */
    public List<Figure> run(List<Scenario> scenarios, int messages, int rounds, int warmupMessages, int warmupRounds) {
        Map<String, List<Sample>> samples = new LinkedHashMap<>();
        Map<String, Double> peakHeap = new LinkedHashMap<>();
        Map<String, String> errors = new LinkedHashMap<>();
        scenarios.forEach(s -> samples.put(s.id(), new ArrayList<>()));
        if (warmupMessages > 0 && warmupRounds > 0) {
            warmUp(scenarios, warmupMessages, warmupRounds, errors);
        }
        for (int round = 1; round <= rounds; round++) {
            passes(scenarios, messages, "round " + round, errors, (s, sample) -> {
                samples.get(s.id()).add(sample);
                peakHeap.merge(s.id(), MemoryProbe.peakHeapMb(), Math::max);
            });
        }
        List<Figure> out = new ArrayList<>();
        for (Scenario s : scenarios) {
            out.add(figure(s, messages, samples.get(s.id()), peakHeap.get(s.id()), errors.get(s.id())));
        }
        return out;
    }

    /** Warm-up rounds of every scenario until the JIT compiles for under {@link #QUIET_JIT_SHARE} of a round. */
    private void warmUp(List<Scenario> scenarios, int messages, int maxRounds, Map<String, String> errors) {
        for (int round = 1; round <= maxRounds; round++) {
            long compiledBefore = compiledMillis();
            long began = System.nanoTime();
            passes(scenarios, messages, "warm-up " + round, errors, (s, sample) -> {});
            if (compiledBefore < 0) {
                log.accept("  (this JVM does not say how long its JIT compiles: one warm-up round)");
                return;
            }
            double wallMillis = (System.nanoTime() - began) / 1e6;
            long compiled = compiledMillis() - compiledBefore;
            boolean quiet = compiled < QUIET_JIT_SHARE * wallMillis;
            log.accept(String.format(
                    "  warm-up %d: the JIT compiled for %d ms of %.0f ms%s",
                    round, compiled, wallMillis, quiet ? ": quiet, timing starts" : ""));
            if (quiet) {
                return;
            }
        }
        log.accept("  the JIT was still busy after " + maxRounds + " warm-up round" + (maxRounds > 1 ? "s" : "")
                + "; timing starts anyway");
    }

    /** Total JIT compile time so far, or -1 where the JVM does not say. */
    private long compiledMillis() {
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
    }

    /**
     * One pass of every scenario that has not failed, each reported to {@code done} and logged under {@code name}; a
     * scenario whose pass fails is logged and left out from then on.
     */
    private void passes(
            List<Scenario> scenarios,
            int messages,
            String name,
            Map<String, String> errors,
            BiConsumer<Scenario, Sample> done) {
        for (Scenario s : scenarios) {
            if (errors.containsKey(s.id())) {
                continue;
            }
            try {
                Sample sample = pass(s, messages);
                done.accept(s, sample);
                log.accept(String.format("  %-9s %-56s %9.0f msg/s", name, s.label(), sample.perSecond()));
            } catch (RuntimeException e) {
                errors.put(s.id(), e.toString());
                log.accept("  FAILED " + s.label() + ": " + e);
            }
        }
    }

    private Sample pass(Scenario s, int messages) {
        s.prepare(messages);
        if (!checkpoint.getAsBoolean() && !saidNoCheckpoint) {
            saidNoCheckpoint = true;
            log.accept("  (cannot CHECKPOINT before passes: a checkpoint may land inside any of them)");
        }
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
