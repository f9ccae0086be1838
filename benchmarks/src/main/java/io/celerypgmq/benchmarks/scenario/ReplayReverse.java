package io.celerypgmq.benchmarks.scenario;

import io.celerypgmq.benchmarks.env.BenchEnv;
import io.celerypgmq.bridge.move.ForwardListener;
import io.celerypgmq.bridge.move.ForwardMover;
import io.celerypgmq.bridge.route.PayloadFormat;
import io.celerypgmq.bridge.route.RouteMode;
import io.celerypgmq.replay.CancelToken;
import io.celerypgmq.replay.PgmqToRedisReplay;
import io.celerypgmq.replay.Progress;
import io.celerypgmq.replay.ReverseSpec;

/**
 * Replay's rollback: a pgmq queue (filled by the forward pump, as a rollback finds it) replayed into a Celery list by
 * {@code PgmqToRedisReplay}, batch 100, no rate limit.
 */
public final class ReplayReverse implements Scenario {
    private final BenchEnv env;
    private int passes;

    public ReplayReverse(BenchEnv env) {
        this.env = env;
    }

    @Override
    public String id() {
        return "replay.reverse.task.b100";
    }

    @Override
    public String label() {
        return "replay: pgmq → Redis (PgmqToRedisReplay), task, b100";
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
        try (ForwardMover forward = BridgeParts.forward(
                env, "bench-fill", 100, BridgeParts.routes(RouteMode.PGMQ, PayloadFormat.TASK), ForwardListener.NONE)) {
            BridgeParts.drain(env, forward); // fill the pgmq queue the way the bridge writes it
        }
    }

    @Override
    public long run() {
        ReverseSpec spec = ReverseSpec.of(BenchEnv.QUEUE.value())
                .withCeleryQueue(BenchEnv.WORKERS)
                .withLimits(0, 100, 0)
                .withJobId("bench-reverse-" + passes++);
        return new PgmqToRedisReplay(ReplayDrain.context(env), spec)
                .run(new CancelToken(), Progress.NONE)
                .moved();
    }

    @Override
    public long check() {
        return env.pgmqCount(BenchEnv.QUEUE) == 0 ? env.length(BenchEnv.WORKERS) : -1;
    }
}
