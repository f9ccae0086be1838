package io.celerypgmq.benchmarks.scenario;

import io.celerypgmq.benchmarks.env.BenchEnv;
import io.celerypgmq.config.ConfigSource;
import io.celerypgmq.replay.CancelToken;
import io.celerypgmq.replay.DrainSpec;
import io.celerypgmq.replay.Progress;
import io.celerypgmq.replay.RedisToPgmqDrain;
import io.celerypgmq.replay.ReplayContext;
import io.celerypgmq.replay.ReplayReport;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Replay's cutover drain: what is left of a Celery queue in Redis moved into pgmq by {@code RedisToPgmqDrain}
 * (bridge codec, payloads, ledger; its own job lease and in-flight list), task format, batch 100, no rate limit.
 */
public final class ReplayDrain implements Scenario {
    private final BenchEnv env;
    private int passes;

    public ReplayDrain(BenchEnv env) {
        this.env = env;
    }

    @Override
    public String id() {
        return "replay.drain.task.b100";
    }

    @Override
    public String label() {
        return "replay: drain Redis → pgmq (RedisToPgmqDrain), task, b100";
    }

    @Override
    public String group() {
        return "replay";
    }

    @Override
    public Double target() {
        return 0.7;
    }

    @Override
    public void prepare(int messages) {
        env.reset();
        env.fill(BenchEnv.SOURCE, messages);
    }

    @Override
    public long run() {
        ReplayContext ctx = context(env);
        DrainSpec spec = DrainSpec.of(List.of(BenchEnv.SOURCE), BenchEnv.QUEUE.value())
                .withWorkersStopped(true)
                .withLimits(0, 100, 0)
                .withJobId("bench-drain-" + passes++);
        ReplayReport report = new RedisToPgmqDrain(ctx, spec).run(new CancelToken(), Progress.NONE);
        return report.moved();
    }

    @Override
    public long check() {
        return env.length(BenchEnv.SOURCE) == 0 ? env.pgmqCount(BenchEnv.QUEUE) : -1;
    }

    static ReplayContext context(BenchEnv env) {
        return ReplayContext.from(
                ConfigSource.of(Map.of(), Map.of("replay.batch-size", "100")),
                env.db(),
                env.redis(),
                Clock.systemUTC());
    }
}
