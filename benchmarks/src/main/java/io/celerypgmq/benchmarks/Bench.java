package io.celerypgmq.benchmarks;

import io.celerypgmq.benchmarks.compare.CeleryMigrate;
import io.celerypgmq.benchmarks.compare.PythonBridge;
import io.celerypgmq.benchmarks.env.Backends;
import io.celerypgmq.benchmarks.env.BenchEnv;
import io.celerypgmq.benchmarks.jmh.CodecJmh;
import io.celerypgmq.benchmarks.jmh.JmhFigure;
import io.celerypgmq.benchmarks.probe.CpuMeter;
import io.celerypgmq.benchmarks.probe.JfrProfile;
import io.celerypgmq.benchmarks.probe.Latency;
import io.celerypgmq.benchmarks.probe.LatencyProbe;
import io.celerypgmq.benchmarks.probe.MemoryCheck;
import io.celerypgmq.benchmarks.probe.MemoryCheckRunner;
import io.celerypgmq.benchmarks.probe.MemoryProbe;
import io.celerypgmq.benchmarks.probe.StageProfile;
import io.celerypgmq.benchmarks.report.Figure;
import io.celerypgmq.benchmarks.report.Machine;
import io.celerypgmq.benchmarks.report.Report;
import io.celerypgmq.benchmarks.scenario.ForwardBridge;
import io.celerypgmq.benchmarks.scenario.RawHop;
import io.celerypgmq.benchmarks.scenario.RawLedgerHop;
import io.celerypgmq.benchmarks.scenario.RawReverseHop;
import io.celerypgmq.benchmarks.scenario.RawSendBatch;
import io.celerypgmq.benchmarks.scenario.RedisDrain;
import io.celerypgmq.benchmarks.scenario.ReplayDrain;
import io.celerypgmq.benchmarks.scenario.ReplayReverse;
import io.celerypgmq.benchmarks.scenario.ReverseBridge;
import io.celerypgmq.benchmarks.scenario.Scenario;
import io.celerypgmq.benchmarks.scenario.ThroughputRunner;
import io.celerypgmq.bridge.route.PayloadFormat;
import io.celerypgmq.bridge.route.RouteMode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/** One bench run: throughput figures side by side with the raw limits, then latency, memory, codec and profile. */
public final class Bench {
    static final String RAW_HOP_1 = "raw.hop.b100.t1";

    private final BenchOptions options;
    private final Consumer<String> log;

    public Bench(BenchOptions options, Consumer<String> log) {
        this.options = options;
        this.log = log;
    }

    public Report run(Backends backends) {
        Instant started = Instant.now();
        Machine machine = Machine.now();
        List<String> notes = new ArrayList<>();
        try (BenchEnv env = new BenchEnv(backends)) {
            log.accept(
                    "backends: " + backends.describe() + "; " + env.pgmqStatus().describe());
            log.accept("message: " + env.messages().messageBytes() + " bytes, Celery protocol 2, JSON; load average "
                    + machine.loadAverage());
            List<Scenario> scenarios = scenarios(env).stream()
                    .filter(s -> options.includes(s.id()))
                    .toList();
            log.accept("throughput: " + scenarios.size() + " figures × " + options.rounds() + " rounds of "
                    + options.messages() + " messages");
            List<Figure> figures = new ThroughputRunner(new CpuMeter(env.db(), env.redis()), log, env::checkpoint)
                    .run(
                            scenarios,
                            options.messages(),
                            options.rounds(),
                            options.warmupMessages(),
                            options.warmupRounds());
            List<Figure> comparisons = withRatios(comparisons(env, notes), figures, false);
            figures = withRatios(figures, figures, true);
            List<Latency> latency = latency(env);
            List<MemoryCheck> memory = memory(backends);
            List<JmhFigure> codec = options.jmh() ? jmh() : List.of();
            List<StageProfile.Breakdown> stages = new ArrayList<>();
            Map<String, JfrProfile.Result> jfr = new java.util.LinkedHashMap<>();
            if (options.profileMessages() > 0) {
                log.accept("profile: stage timers and JFR on the forward pump");
                StageProfile profile = new StageProfile(env);
                profile.measure(Math.min(3_000, options.profileMessages()), 100, PayloadFormat.TASK); // JIT warm-up
                stages.add(profile.measure(options.profileMessages(), 100, PayloadFormat.TASK));
                stages.add(profile.measure(options.profileMessages(), 100, PayloadFormat.KOMBU));
                Path dir = options.output().toAbsolutePath().getParent();
                ForwardBridge forward = new ForwardBridge(env, RouteMode.PGMQ, PayloadFormat.TASK, 100, 1);
                jfr.put("forward pump, task format, b100", jfr(forward, dir.resolve("bench-forward.jfr")));
                ReverseBridge reverse = new ReverseBridge(env, PayloadFormat.TASK, 100);
                jfr.put("reverse pump, task format, b100", jfr(reverse, dir.resolve("bench-reverse.jfr")));
                jfr.put("replay drain, task format, b100", jfr(new ReplayDrain(env), dir.resolve("bench-replay.jfr")));
            }
            Double hop = figures.stream()
                    .filter(f -> f.id().equals(RAW_HOP_1))
                    .map(Figure::median)
                    .findFirst()
                    .orElse(null);
            return new Report(
                    started.toString(),
                    Math.round((Instant.now().toEpochMilli() - started.toEpochMilli()) / 100.0) / 10.0,
                    options.mode(),
                    machine,
                    Machine.currentLoadAverage(),
                    backends.describe(),
                    env.pgmqStatus().describe(),
                    env.messages().messageBytes(),
                    options.messages(),
                    options.rounds(),
                    hop,
                    figures,
                    comparisons,
                    latency,
                    memory,
                    codec,
                    stages,
                    jfr,
                    MemoryProbe.peakHeapMb(),
                    MemoryProbe.peakRssMb(),
                    notes);
        }
    }

    private List<Scenario> scenarios(BenchEnv env) {
        List<Scenario> s = new ArrayList<>();
        s.add(new RedisDrain(env, 100));
        s.add(new RawSendBatch(env, 100));
        s.add(new RawHop(env, 100, 1));
        s.add(new RawHop(env, 100, 2));
        s.add(new RawLedgerHop(env, 100));
        s.add(new RawReverseHop(env, 100, false));
        s.add(new RawReverseHop(env, 100, true));
        s.add(new ForwardBridge(env, RouteMode.PGMQ, PayloadFormat.TASK, 100, 1));
        s.add(new ForwardBridge(env, RouteMode.PGMQ, PayloadFormat.KOMBU, 100, 1));
        s.add(new ForwardBridge(env, RouteMode.PGMQ, PayloadFormat.TASK, 100, 1, false));
        s.add(new ForwardBridge(env, RouteMode.CELERY, PayloadFormat.TASK, 100, 1));
        for (int batch : new int[] {50, 200, 500}) {
            s.add(new ForwardBridge(env, RouteMode.PGMQ, PayloadFormat.TASK, batch, 1));
        }
        s.add(new ForwardBridge(env, RouteMode.PGMQ, PayloadFormat.TASK, 100, 2));
        s.add(new ForwardBridge(env, RouteMode.PGMQ, PayloadFormat.KOMBU, 100, 2));
        s.add(new ReverseBridge(env, PayloadFormat.TASK, 100));
        s.add(new ReverseBridge(env, PayloadFormat.KOMBU, 100));
        s.add(new ReplayDrain(env));
        s.add(new ReplayReverse(env));
        return s;
    }

    /**
     * Each figure against the 1-thread raw hop among {@code yardsticks}, and against the raw hop with as many threads;
     * {@code paired} when both were measured in the same rounds.
     */
    static List<Figure> withRatios(List<Figure> figures, List<Figure> yardsticks, boolean paired) {
        Map<Integer, Figure> hops = yardsticks.stream()
                .filter(f -> f.id().startsWith("raw.hop.b100.t") && f.median() != null)
                .collect(Collectors.toMap(Figure::threads, f -> f, (a, b) -> a));
        Figure one = hops.get(1);
        return figures.stream()
                .map(f -> f.withRatios(one, hops.getOrDefault(f.threads(), one), paired))
                .toList();
    }

    private List<Figure> comparisons(BenchEnv env, List<String> notes) {
        if (!options.compareCelery()) {
            return List.of();
        }
        List<Scenario> tools = new ArrayList<>();
        if (PythonBridge.available()) {
            tools.add(new PythonBridge(env));
        } else {
            notes.add("python bridge comparison skipped: /usr/bin/python3 lacks redis or psycopg2");
        }
        CeleryMigrate migrate = CeleryMigrate.available() ? new CeleryMigrate(env) : null;
        if (migrate != null) {
            tools.add(migrate);
        } else {
            notes.add("celery migrate comparison skipped: /usr/bin/python3 lacks celery");
        }
        int messages = Math.min(options.messages(), 2_000); // the Python tools are slow
        log.accept("comparisons: " + tools.size() + " other tools × " + options.rounds() + " rounds of " + messages);
        return new ThroughputRunner(new CpuMeter(env.db(), env.redis()), log, env::checkpoint)
                .run(tools, messages, options.rounds(), 0, 0);
    }

    private List<Latency> latency(BenchEnv env) {
        if (options.latencySeconds() <= 0) {
            return List.of();
        }
        List<Latency> out = new ArrayList<>();
        LatencyProbe probe = new LatencyProbe(env);
        for (int idleWait : new int[] {50, 5}) {
            log.accept("latency: 2 000 msg/s for " + options.latencySeconds() + " s, idle wait " + idleWait + " ms");
            out.add(probe.measure(2_000, options.latencySeconds(), idleWait, 100));
        }
        return out;
    }

    private List<MemoryCheck> memory(Backends backends) {
        if (options.memoryMessages() <= 0) {
            return List.of();
        }
        MemoryCheckRunner runner = new MemoryCheckRunner(backends);
        List<MemoryCheck> out = new ArrayList<>();
        for (int messages : new int[] {options.memoryMessages(), options.memoryMessages() * 4}) {
            log.accept("memory: forward pump moves " + messages + " messages in a JVM with -Xmx64m");
            out.add(runner.run(messages, 100, 64));
        }
        return out;
    }

    private List<JmhFigure> jmh() {
        log.accept("codec: JMH (one forked JVM)");
        return CodecJmh.run(options.mode().equals("quick"));
    }

    private JfrProfile.Result jfr(Scenario pass, Path file) {
        pass.prepare(options.profileMessages());
        return new JfrProfile().profile(file, pass::run);
    }
}
