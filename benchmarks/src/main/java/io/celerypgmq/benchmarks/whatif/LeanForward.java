package io.celerypgmq.benchmarks.whatif;

import io.celerypgmq.benchmarks.env.BenchEnv;
import io.celerypgmq.benchmarks.scenario.BridgeParts;
import io.celerypgmq.benchmarks.scenario.ParallelRuns;
import io.celerypgmq.benchmarks.scenario.Scenario;
import io.celerypgmq.bridge.pump.BatchPlan;
import io.celerypgmq.bridge.pump.BatchPlanner;
import io.celerypgmq.bridge.redis.ClaimedMessage;
import io.celerypgmq.bridge.redis.InFlightList;
import io.celerypgmq.bridge.route.PayloadFormat;
import io.celerypgmq.bridge.route.RouteMode;
import io.celerypgmq.bridge.route.RouteTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A what-if figure: the forward pump's own parts (in-flight list, planner) with {@link LeanHandOff} in place of
 * {@code HandOff}, and the in-flight list read back only once at start instead of before every batch. Measures what
 * the proposed hand-off changes would buy; the bridge itself is unchanged.
 */
public final class LeanForward implements Scenario {
    private final BenchEnv env;
    private final PayloadFormat format;
    private final int instances;
    private final boolean flowPerInstance;
    private final boolean keepEnvelope;
    private final List<Runnable> pumps = new ArrayList<>();
    private final long[] moved;
    private int given;

    public LeanForward(BenchEnv env, PayloadFormat format, int instances, boolean flowPerInstance) {
        this(env, format, instances, flowPerInstance, true);
    }

    /** {@code keepEnvelope} off: the task format without the envelope copy in the headers. */
    public LeanForward(
            BenchEnv env, PayloadFormat format, int instances, boolean flowPerInstance, boolean keepEnvelope) {
        this.keepEnvelope = keepEnvelope;
        this.env = env;
        this.format = format;
        this.instances = instances;
        this.flowPerInstance = flowPerInstance;
        this.moved = new long[instances];
    }

    @Override
    public String id() {
        return "whatif.lean_handoff." + format.label() + (keepEnvelope ? "" : "-noenv") + ".b100.i" + instances
                + (flowPerInstance ? ".flowkey" : "");
    }

    @Override
    public String label() {
        return "what-if: lean hand-off" + (flowPerInstance ? " + per-instance flow" : "") + ", " + format.label()
                + (keepEnvelope ? "" : " no envelope") + ", b100, " + instances + " inst.";
    }

    @Override
    public String group() {
        return "whatif";
    }

    @Override
    public int threads() {
        return instances;
    }

    @Override
    public Double target() {
        return 0.8;
    }

    @Override
    public void prepare(int messages) {
        env.reset();
        env.fill(BenchEnv.SOURCE, messages);
        given = messages;
        RouteTable routes = BridgeParts.routes(RouteMode.PGMQ, format);
        BatchPlanner planner = BridgeParts.planner(env.codec(), env.keys(), keepEnvelope);
        List<String> sources = BridgeParts.sources(env);
        pumps.clear();
        for (int i = 0; i < instances; i++) {
            int index = i;
            String instance = "bench-lean-" + i;
            InFlightList inFlight = BridgeParts.inFlight(env, instance);
            LeanHandOff handOff = new LeanHandOff(env.db(), env.pgmq(), instance, flowPerInstance);
            pumps.add(() -> {
                moved[index] = 0;
                if (!inFlight.pending().isEmpty()) {
                    throw new IllegalStateException("a what-if pass found a batch left in flight");
                }
                for (List<ClaimedMessage> batch = inFlight.claim(sources, 100);
                        !batch.isEmpty();
                        batch = inFlight.claim(sources, 100)) {
                    BatchPlan plan = planner.plan(batch, routes, Instant.now(), "pgmq");
                    handOff.write(plan);
                    inFlight.finish(plan.celery());
                    moved[index] += batch.size();
                }
            });
        }
    }

    @Override
    public long run() {
        return ParallelRuns.sum(instances, i -> {
            pumps.get(i).run();
            return moved[i];
        });
    }

    @Override
    public long check() {
        if (env.length(BenchEnv.SOURCE) != 0) {
            return -given;
        }
        return env.pgmqCount(BenchEnv.QUEUE);
    }
}
