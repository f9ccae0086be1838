package io.celerypgmq.benchmarks.scenario;

import io.celerypgmq.benchmarks.env.BenchEnv;
import io.celerypgmq.bridge.move.ForwardListener;
import io.celerypgmq.bridge.move.ForwardMover;
import io.celerypgmq.bridge.route.PayloadFormat;
import io.celerypgmq.bridge.route.RouteMode;
import io.celerypgmq.bridge.route.RouteTable;
import java.util.ArrayList;
import java.util.List;

/**
 * The bridge's forward pump, as the daemon wires it: claim, decode, route, ledger, {@code send_batch}, commit, finish.
 * {@code instances} pumps run at once on the same source, each with its own in-flight list and instance id, as two
 * bridge processes would (sharing one JVM and pool here).
 */
public final class ForwardBridge implements Scenario {
    private final BenchEnv env;
    private final RouteMode mode;
    private final PayloadFormat format;
    private final int batch;
    private final int instances;
    private final boolean keepEnvelope;
    private final List<ForwardMover> pumps = new ArrayList<>();
    private int given;

    public ForwardBridge(BenchEnv env, RouteMode mode, PayloadFormat format, int batch, int instances) {
        this(env, mode, format, batch, instances, true);
    }

    /** {@code keepEnvelope}: the daemon's {@code bridge.keep-envelope}; off drops the envelope copy from headers. */
    public ForwardBridge(
            BenchEnv env, RouteMode mode, PayloadFormat format, int batch, int instances, boolean keepEnvelope) {
        this.keepEnvelope = keepEnvelope;
        this.env = env;
        this.mode = mode;
        this.format = format;
        this.batch = batch;
        this.instances = instances;
    }

    @Override
    public String id() {
        String what = mode == RouteMode.CELERY ? "celery" : format.label() + (withEnvelope() ? "" : "-noenv");
        return "bridge.forward." + what + ".b" + batch + ".i" + instances;
    }

    @Override
    public String label() {
        String what = mode == RouteMode.CELERY
                ? "all routed to Celery"
                : format.label() + " format" + (withEnvelope() ? "" : ", keep-envelope off");
        return "bridge: forward pump, " + what + ", b" + batch + ", " + instances + " instance"
                + (instances > 1 ? "s" : "");
    }

    @Override
    public int threads() {
        return instances;
    }

    @Override
    public String group() {
        return "bridge";
    }

    private boolean withEnvelope() {
        return keepEnvelope || format == PayloadFormat.KOMBU;
    }

    @Override
    public Double target() {
        return mode == RouteMode.CELERY ? null : 0.8;
    }

    @Override
    public void prepare(int messages) {
        env.reset();
        env.fill(BenchEnv.SOURCE, messages);
        given = messages;
        RouteTable routes = BridgeParts.routes(mode, format);
        pumps.forEach(ForwardMover::close);
        pumps.clear();
        for (int i = 0; i < instances; i++) {
            pumps.add(BridgeParts.forward(env, "bench-" + i, batch, routes, keepEnvelope, ForwardListener.NONE));
        }
    }

    @Override
    public long run() {
        return ParallelRuns.sum(instances, i -> BridgeParts.drain(env, pumps.get(i)));
    }

    @Override
    public long check() {
        if (env.length(BenchEnv.SOURCE) != 0) {
            return -given;
        }
        return mode == RouteMode.CELERY ? env.length(BenchEnv.WORKERS) : env.pgmqCount(BenchEnv.QUEUE);
    }
}
