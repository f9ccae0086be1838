package io.celerypgmq.replay;

import io.celerypgmq.bridge.codec.CeleryCodec;
import io.celerypgmq.bridge.codec.PriorityKeys;
import io.celerypgmq.bridge.pgmq.PgmqClient;
import io.celerypgmq.bridge.pump.BatchPlanner;
import io.celerypgmq.bridge.pump.HandOff;
import io.celerypgmq.bridge.redis.InFlightList;
import io.celerypgmq.bridge.route.RouteTable;
import java.util.List;
import java.util.Map;

/** The pieces one drain run works with, wired once from its context, spec and the current routes. */
record DrainParts(
        ReplayContext ctx,
        DrainSpec spec,
        String jobId,
        PriorityKeys keys,
        CeleryCodec codec,
        Destinations destinations,
        Selection selection,
        HandOver handOver,
        UnackedRouting routing,
        ListPeek lists,
        UnackedPeek unacked,
        LedgerLookup ledger,
        InFlightList inFlight,
        List<String> listKeys,
        int batchSize) {

    static final String INFLIGHT_PREFIX = "celery-pgmq:replay:";
    /** A cutoff later than any delivery: with every worker stopped, every {@code unacked} entry may go. */
    static final double EVERY_DELIVERY = 1e15;

    static DrainParts wire(ReplayContext ctx, DrainSpec spec, RouteTable routes) {
        String jobId = spec.effectiveJobId();
        PriorityKeys keys = ctx.keys();
        CeleryCodec codec = ctx.codec();
        Destinations destinations = Destinations.of(routes, spec.defaultQueue(), spec.defaultFormat());
        UnackedRouting routing = new UnackedRouting(
                ctx.redis(), ctx.bridge().globalKeyPrefix(), ctx.bridge().prioritySeparator());
        LedgerLookup ledger = new LedgerLookup(ctx.db());
        BatchPlanner planner = new BatchPlanner(
                codec,
                keys,
                Map.of(),
                ctx.payloads(),
                ctx.bridge().expiresPolicy(),
                ctx.bridge().priorityPolicy());
        HandOff handOff = new HandOff(ctx.db(), new PgmqClient(ctx.db()), instance(jobId), ctx.clock());
        HandOver handOver = new HandOver(
                codec, keys, planner, handOff, destinations, routing, ledger, ctx.unackedKey(), ctx.clock());
        return new DrainParts(
                ctx,
                spec,
                jobId,
                keys,
                codec,
                destinations,
                new Selection(codec, spec.filter(), destinations),
                handOver,
                routing,
                new ListPeek(ctx.redis()),
                new UnackedPeek(ctx.redis(), ctx.unackedKey(), ctx.unackedIndexKey()),
                ledger,
                inFlightOf(ctx, jobId),
                keys.consumptionOrder(spec.queues()),
                spec.batchSize() > 0 ? spec.batchSize() : ctx.settings().batchSize());
    }

    /** The ledger's {@code instance} column for a replay job: which rows this job wrote. */
    static String instance(String jobId) {
        return "replay:" + jobId;
    }

    static InFlightList inFlightOf(ReplayContext ctx, String jobId) {
        return new InFlightList(ctx.redis(), INFLIGHT_PREFIX + jobId + ":inflight");
    }

    /** The newest delivery time an {@code unacked} entry may have to be taken now. */
    double cutoff() {
        if (spec.workersStopped()) {
            return EVERY_DELIVERY;
        }
        return (ctx.clock().millis() - visibilityTimeout().toMillis()) / 1000.0;
    }

    java.time.Duration visibilityTimeout() {
        return spec.visibilityTimeout() != null
                ? spec.visibilityTimeout()
                : ctx.settings().visibilityTimeout();
    }
}
