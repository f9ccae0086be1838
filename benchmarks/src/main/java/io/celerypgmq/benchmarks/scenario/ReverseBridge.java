package io.celerypgmq.benchmarks.scenario;

import io.celerypgmq.benchmarks.env.BenchEnv;
import io.celerypgmq.bridge.pump.BridgeSettings;
import io.celerypgmq.bridge.pump.ForwardPump;
import io.celerypgmq.bridge.pump.PumpMetrics;
import io.celerypgmq.bridge.pump.ReversePump;
import io.celerypgmq.bridge.pump.ReverseSource;
import io.celerypgmq.bridge.route.PayloadFormat;
import io.celerypgmq.bridge.route.RouteMode;
import java.util.Map;

/**
 * The bridge's reverse pump (rollback): read a batch from pgmq, rebuild and validate each Celery message, LPUSH it
 * with its idempotency marker, archive the batch. The queue is filled beforehand by the forward pump itself, so the
 * messages look exactly as a rollback would find them.
 */
public final class ReverseBridge implements Scenario {
    private final BenchEnv env;
    private final PayloadFormat format;
    private final int batch;
    private ReversePump pump;
    private ReverseSource source;

    public ReverseBridge(BenchEnv env, PayloadFormat format, int batch) {
        this.env = env;
        this.format = format;
        this.batch = batch;
    }

    @Override
    public String id() {
        return "bridge.reverse." + format.label() + ".b" + batch;
    }

    @Override
    public String label() {
        return "bridge: reverse pump, " + format.label() + " format, b" + batch;
    }

    @Override
    public String group() {
        return "bridge";
    }

    @Override
    public Double target() {
        return 0.7;
    }

    @Override
    public void prepare(int messages) {
        env.reset();
        env.fill(BenchEnv.SOURCE, messages);
        ForwardPump forward = BridgeParts.forward(
                env, "bench-fill", 100, BridgeParts.routes(RouteMode.PGMQ, format), PumpMetrics.NONE);
        while (!forward.runOnce().idle()) {
            // fill the pgmq queue the way the bridge writes it
        }
        if (env.pgmqCount(BenchEnv.QUEUE) != messages) {
            throw new IllegalStateException(
                    "the forward pump left " + env.pgmqCount(BenchEnv.QUEUE) + " of " + messages + " messages in pgmq");
        }
        BridgeSettings settings = BridgeParts.reverseSettings(batch);
        source = settings.reverse().get(0);
        if (pump != null) {
            pump.close();
        }
        pump = new ReversePump(
                env.pgmq(), env.db(), env.redis(), env.codec(), env.keys(), Map.of(), settings, PumpMetrics.NONE);
    }

    @Override
    public long run() {
        long moved = 0;
        for (int n = pump.drainPass(source); n > 0; n = pump.drainPass(source)) {
            moved += n;
        }
        return moved;
    }

    @Override
    public long check() {
        return env.pgmqCount(BenchEnv.QUEUE) == 0 ? env.length(BenchEnv.WORKERS) : -1;
    }
}
