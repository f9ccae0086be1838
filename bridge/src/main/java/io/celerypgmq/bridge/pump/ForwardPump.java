package io.celerypgmq.bridge.pump;

import io.celerypgmq.bridge.redis.ClaimedMessage;
import io.celerypgmq.bridge.redis.InFlightList;
import io.celerypgmq.bridge.route.RouteTable;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;

/**
 * Moves Celery messages out of Redis one batch at a time: claim into the in-flight list (or redo what a crash left
 * there), plan, hand off to Postgres in one transaction, then push the Celery-routed ones and forget the batch in one
 * Redis script. Invariants 1–3 of DESIGN.md hold at every point where the process can die.
 */
public final class ForwardPump {
    /** What one call to {@link #runOnce} did. */
    public record Pass(int claimed, boolean redo, int toCelery, HandOff.Result handOff) {
        static final Pass EMPTY = new Pass(0, false, 0, new HandOff.Result(0, 0, 0, 0));

        public boolean idle() {
            return claimed == 0;
        }
    }

    private final InFlightList inFlight;
    private final List<String> sourceKeys;
    private final int batchSize;
    private final BatchPlanner planner;
    private final HandOff handOff;
    private final Supplier<RouteTable> routes;
    private final Clock clock;
    private final PumpMetrics metrics;

    public ForwardPump(
            InFlightList inFlight,
            List<String> sourceKeys,
            int batchSize,
            BatchPlanner planner,
            HandOff handOff,
            Supplier<RouteTable> routes,
            Clock clock,
            PumpMetrics metrics) {
        this.inFlight = inFlight;
        this.sourceKeys = List.copyOf(sourceKeys);
        this.batchSize = batchSize;
        this.planner = planner;
        this.handOff = handOff;
        this.routes = routes;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** Processes one batch; returns {@link Pass#idle()} when the sources were empty and nothing was left to redo. */
    public Pass runOnce() {
        long start = System.nanoTime();
        List<ClaimedMessage> batch = inFlight.pending();
        boolean redo = !batch.isEmpty();
        if (!redo) {
            batch = inFlight.claim(sourceKeys, batchSize);
        }
        return process(batch, redo, start);
    }

    /** Finishes only what is already in the in-flight list (a crashed pump's batch); claims nothing new. */
    public Pass redo() {
        return process(inFlight.pending(), true, System.nanoTime());
    }

    private Pass process(List<ClaimedMessage> batch, boolean redo, long start) {
        if (batch.isEmpty()) {
            return Pass.EMPTY;
        }
        metrics.claimed(batch.size(), redo);
        BatchPlan plan = planner.plan(batch, routes.get(), clock.instant(), "pgmq");
        HandOff.Result result = handOff.write(plan);
        inFlight.finish(plan.celery());
        metrics.batchDone(plan, result, System.nanoTime() - start);
        return new Pass(batch.size(), redo, plan.celery().size(), result);
    }

    public InFlightList inFlight() {
        return inFlight;
    }
}
