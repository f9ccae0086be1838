package io.celerypgmq.bridge.pump;

import io.celerypgmq.bridge.redis.ClaimedMessage;
import io.celerypgmq.bridge.redis.InFlightList;
import io.celerypgmq.bridge.route.RouteTable;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Moves Celery messages out of Redis one batch at a time: claim into the in-flight list (or redo what a crash left
 * there), plan, hand off to Postgres in one transaction, then push the Celery-routed ones and forget the batch in one
 * Redis script. Invariants 1–3 of DESIGN.md hold at every point where the process can die.
 *
 * <p>Pipelined ({@code batchesPerPass > 1}), a pass moves up to that many batches and overlaps their two halves: while
 * a writer thread hands batch N to Postgres and finishes it in Redis, this thread claims and plans batch N + 1. The
 * in-flight list then holds two batches at most; each is forgotten from the tail, oldest first, after its own
 * commit. Whatever a crash or a failed write leaves there is redone as one batch by the next pass. A pass returns only
 * when every batch it started is finished, so stopping between passes leaves nothing half done.
 */
public final class ForwardPump implements AutoCloseable {
    /** What one call to {@link #runOnce} did. */
    public record Pass(int claimed, boolean redo, int toCelery, HandOff.Result handOff) {
        static final Pass EMPTY = new Pass(0, false, 0, new HandOff.Result(0, 0, 0, 0));

        public boolean idle() {
            return claimed == 0;
        }

        Pass plus(Pass o) {
            return new Pass(
                    claimed + o.claimed,
                    redo || o.redo,
                    toCelery + o.toCelery,
                    new HandOff.Result(
                            handOff.sent() + o.handOff.sent(),
                            handOff.expired() + o.handOff.expired(),
                            handOff.duplicates() + o.handOff.duplicates(),
                            handOff.quarantined() + o.handOff.quarantined()));
        }
    }

    /** Batches a daemon pump moves per pass, overlapping claim and plan with the hand-off (one pass ≈ 50 ms). */
    public static final int BATCHES_PER_PASS = 8;

    private final InFlightList inFlight;
    private final List<String> sourceKeys;
    private final int batchSize;
    private final int batchesPerPass;
    private final BatchPlanner planner;
    private final HandOff handOff;
    private final Supplier<RouteTable> routes;
    private final Clock clock;
    private final PumpMetrics metrics;
    private final WriterThread writer;

    /** A pump that moves one batch per pass, all on the caller's thread. */
    public ForwardPump(
            InFlightList inFlight,
            List<String> sourceKeys,
            int batchSize,
            BatchPlanner planner,
            HandOff handOff,
            Supplier<RouteTable> routes,
            Clock clock,
            PumpMetrics metrics) {
        this(inFlight, sourceKeys, batchSize, 1, planner, handOff, routes, clock, metrics);
    }

    /** @param batchesPerPass batches a pass may move; above 1, claiming and planning overlap the hand-off */
    public ForwardPump(
            InFlightList inFlight,
            List<String> sourceKeys,
            int batchSize,
            int batchesPerPass,
            BatchPlanner planner,
            HandOff handOff,
            Supplier<RouteTable> routes,
            Clock clock,
            PumpMetrics metrics) {
        if (batchesPerPass < 1) {
            throw new IllegalArgumentException("batchesPerPass must be at least 1, was " + batchesPerPass);
        }
        this.inFlight = inFlight;
        this.sourceKeys = List.copyOf(sourceKeys);
        this.batchSize = batchSize;
        this.batchesPerPass = batchesPerPass;
        this.planner = planner;
        this.handOff = handOff;
        this.routes = routes;
        this.clock = clock;
        this.metrics = metrics;
        this.writer = new WriterThread("forward-writer " + inFlight.key());
    }

    /** Processes one pass; returns {@link Pass#idle()} when the sources were empty and nothing was left to redo. */
    public Pass runOnce() {
        long start = System.nanoTime();
        List<ClaimedMessage> left = inFlight.pending();
        if (!left.isEmpty()) {
            return process(left, true, start);
        }
        if (batchesPerPass == 1) {
            return process(inFlight.claim(sourceKeys, batchSize), false, start);
        }
        return pipelined();
    }

    /** Finishes only what is already in the in-flight list (a crashed pump's batch); claims nothing new. */
    public Pass redo() {
        return process(inFlight.pending(), true, System.nanoTime());
    }

    private Pass pipelined() {
        AtomicReference<Pass> done = new AtomicReference<>(Pass.EMPTY);
        writer.overlap(
                batchesPerPass,
                () -> {
                    long start = System.nanoTime();
                    List<ClaimedMessage> batch = inFlight.claim(sourceKeys, batchSize);
                    return batch.isEmpty() ? null : plan(batch, false, start);
                },
                next -> write(next, false),
                pass -> done.set(done.get().plus(pass)));
        return done.get();
    }

    /** One batch on this thread: the in-flight list holds just this batch, so finishing it empties the list. */
    private Pass process(List<ClaimedMessage> batch, boolean redo, long start) {
        if (batch.isEmpty()) {
            return Pass.EMPTY;
        }
        return write(plan(batch, redo, start), true);
    }

    private record Planned(List<ClaimedMessage> batch, boolean redo, BatchPlan plan, long start) {}

    private Planned plan(List<ClaimedMessage> batch, boolean redo, long start) {
        metrics.claimed(batch.size(), redo);
        return new Planned(batch, redo, planner.plan(batch, routes.get(), clock.instant(), "pgmq"), start);
    }

    /** @param all forget the whole in-flight list (it held just this batch), else only this batch's oldest entries */
    private Pass write(Planned p, boolean all) {
        BatchPlan plan = p.plan();
        HandOff.Result result = handOff.write(plan, p.redo());
        if (all) {
            inFlight.finish(plan.celery());
        } else {
            inFlight.finishOldest(plan.celery(), p.batch().size());
        }
        metrics.batchDone(plan, result, System.nanoTime() - p.start());
        return new Pass(p.batch().size(), p.redo(), plan.celery().size(), result);
    }

    public InFlightList inFlight() {
        return inFlight;
    }

    /** Stops the writer thread; call between passes. */
    @Override
    public void close() {
        writer.close();
    }
}
