package io.celerypgmq.benchmarks.probe;

import io.celerypgmq.benchmarks.env.BenchEnv;
import io.celerypgmq.benchmarks.scenario.BridgeParts;
import io.celerypgmq.bridge.move.ForwardListener;
import io.celerypgmq.bridge.move.ForwardMover;
import io.celerypgmq.bridge.route.PayloadFormat;
import io.celerypgmq.bridge.route.RouteMode;
import java.util.Map;

/**
 * Where the forward pump's time goes: the engine's forward mover run one batch after another (not pipelined), with
 * every stage it goes through timed by the engine itself and reported to a listener, so each stage's wall time per
 * message is known. Single queue, no delays, no duplicates: the steady-state path.
 */
public final class StageProfile {
    /** The breakdown of one pass. */
    public record Breakdown(
            String format, long messages, int batchSize, double perSecond, Map<String, Stages.StageShare> stages) {}

    private static final Map<ForwardListener.Stage, String> NAMES = Map.of(
            ForwardListener.Stage.CLAIM, "redis: claim (Lua)",
            ForwardListener.Stage.DECODE_AND_PLAN, "plan: decode, route, build payloads",
            ForwardListener.Stage.SEND_AND_RECORD, "pg: send_batch + ledger INSERT + flow UPSERT (one statement)",
            ForwardListener.Stage.COMMIT, "pg: COMMIT",
            ForwardListener.Stage.FINISH, "redis: finish (Lua ack)");

    private final BenchEnv env;

    public StageProfile(BenchEnv env) {
        this.env = env;
    }

    public Breakdown measure(int messages, int batch, PayloadFormat format) {
        env.reset();
        env.fill(BenchEnv.SOURCE, messages);
        Stages t = new Stages();
        ForwardListener timer = new ForwardListener() {
            @Override
            public void stage(Stage stage, long nanos) {
                t.add(NAMES.get(stage), nanos);
            }
        };
        long moved = 0;
        long began = System.nanoTime();
        try (ForwardMover mover =
                BridgeParts.forward(env, "bench-stages", batch, BridgeParts.routes(RouteMode.PGMQ, format), timer)) {
            var claim = BridgeParts.claim(env);
            for (ForwardMover.Moved pass = mover.runOnce(claim, 1); !pass.idle(); pass = mover.runOnce(claim, 1)) {
                moved += pass.messages();
            }
        }
        double perSecond = moved * 1e9 / (System.nanoTime() - began);
        if (env.pgmqCount(BenchEnv.QUEUE) != messages) {
            throw new IllegalStateException(
                    "stage profile delivered " + env.pgmqCount(BenchEnv.QUEUE) + " of " + messages);
        }
        return new Breakdown(format.label(), moved, batch, Math.round(perSecond), t.perMessage(moved));
    }
}
