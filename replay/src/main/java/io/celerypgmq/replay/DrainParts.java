package io.celerypgmq.replay;

import io.celerypgmq.bridge.codec.CeleryCodec;
import io.celerypgmq.bridge.codec.PriorityKeys;
import io.celerypgmq.bridge.codec.UnackedEntry;
import io.celerypgmq.bridge.move.ForwardListener;
import io.celerypgmq.bridge.move.ForwardMover;
import io.celerypgmq.bridge.move.ForwardRules;
import io.celerypgmq.bridge.move.InFlightList;
import io.celerypgmq.bridge.move.UnackedEntries;
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
        ForwardRules rules,
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
    /** The ledger's route label for what a drain sends. */
    static final String ORIGIN = "replay";

    static DrainParts wire(ReplayContext ctx, DrainSpec spec, RouteTable routes) {
        String jobId = spec.effectiveJobId();
        PriorityKeys keys = ctx.keys();
        CeleryCodec codec = ctx.codec();
        Destinations destinations = Destinations.of(routes, spec.defaultQueue(), spec.defaultFormat());
        UnackedRouting routing = new UnackedRouting(
                ctx.redis(), ctx.bridge().globalKeyPrefix(), ctx.bridge().prioritySeparator());
        UnackedEntries unacked = new UnackedEntries() {
            @Override
            public String hashKey() {
                return ctx.unackedKey();
            }

            @Override
            public String queueOf(UnackedEntry entry) {
                return routing.resolve(entry.exchange(), entry.routingKey()).queue();
            }
        };
        // a drain at cutover moves the Celery copy of a shadow-routed message: a delivery of its own (renewed)
        ForwardRules rules = new ForwardRules(
                codec,
                keys,
                Map.of(),
                ctx.payloads(),
                ctx.bridge().expiresPolicy(),
                ctx.bridge().priorityPolicy(),
                ORIGIN,
                true,
                unacked);
        return new DrainParts(
                ctx,
                spec,
                jobId,
                keys,
                codec,
                destinations,
                new Selection(codec, spec.filter(), destinations),
                rules,
                routing,
                new ListPeek(ctx.redis()),
                new UnackedPeek(ctx.redis(), ctx.unackedKey(), ctx.unackedIndexKey()),
                new LedgerLookup(ctx.db()),
                inFlightOf(ctx, jobId),
                keys.consumptionOrder(spec.queues()),
                spec.batchSize() > 0 ? spec.batchSize() : ctx.settings().batchSize());
    }

    /** The engine's forward mover for this job's in-flight list (or another's, an interrupted job being adopted). */
    ForwardMover mover(InFlightList list, ForwardListener listener) {
        return new ForwardMover(
                ctx.db(),
                ctx.redis(),
                list,
                rules,
                destinations::table,
                batchSize,
                instance(jobId),
                ctx.clock(),
                listener);
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
