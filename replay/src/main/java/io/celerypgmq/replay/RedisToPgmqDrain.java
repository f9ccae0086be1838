package io.celerypgmq.replay;

import io.celerypgmq.bridge.move.ForwardListener;
import io.celerypgmq.bridge.move.ForwardMover;
import io.celerypgmq.bridge.move.InFlightList;
import io.celerypgmq.bridge.pgmq.PgmqInstaller;
import io.celerypgmq.bridge.route.RouteStore;
import io.celerypgmq.bridge.route.RouteTable;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cutover: moves what is left of Celery queues in Redis into pgmq, through the bridge's codec, routes, payloads,
 * ledger and quarantine, and its move engine ({@link ForwardMover}). Ready lists and their priority lists, and the {@code unacked} entries of workers that are
 * gone, are taken atomically into the job's in-flight list and handed to Postgres in one transaction per batch; a run
 * killed anywhere is finished by the next run (of this or any drain job) with every message moved exactly once.
 *
 * <pre>{@code
 * ReplayReport r = new RedisToPgmqDrain(ctx, DrainSpec.of(List.of("celery"), "user_tasks"))
 *         .run(new CancelToken(), Progress.NONE);
 * }</pre>
 */
public final class RedisToPgmqDrain {
    private static final Logger LOG = LoggerFactory.getLogger(RedisToPgmqDrain.class);
    static final long FOLLOW_IDLE_MILLIS = 500;

    private final ReplayContext ctx;
    private final DrainSpec spec;

    public RedisToPgmqDrain(ReplayContext ctx, DrainSpec spec) {
        this.ctx = ctx;
        this.spec = spec;
    }

    /**
     * Runs the drain (or, for a dry run, only counts what it would do).
     *
     * @throws NoDestinationException when selected task types have no pgmq destination (nothing was moved)
     * @throws JobBusyException when another live process runs the same job
     */
    public ReplayReport run(CancelToken cancel, Progress progress) {
        long start = ctx.clock().millis();
        if (spec.dryRun()) {
            return preview(progress, start);
        }
        ReplaySchema.install(ctx.db());
        PgmqInstaller.ensure(ctx.db());
        DrainParts p = DrainParts.wire(ctx, spec, new RouteStore(ctx.db()).load());
        ReplayTally tally = new ReplayTally();
        DrainCounts counts = new DrainCounts(tally, progress, ctx.clock());
        try (JobLease lease = new ReplayJobs(ctx.db())
                        .begin(
                                p.jobId(),
                                ReplayKind.REDIS_TO_PGMQ,
                                spec.toJson(),
                                p.inFlight().key());
                ForwardMover mover = p.mover(p.inFlight(), counts)) {
            LOG.info("[replay] job {} drains {} into pgmq ({})", p.jobId(), spec.queues(), spec.filter());
            tally.resumed += mover.redo().messages();
            adoptInterrupted(p, lease, counts, tally);
            requireDestinations(p, mover);
            progress.expect(expected(p));
            JobState state = drain(p, mover, counts, cancel, progress, tally);
            leftInUnacked(p, tally);
            ReplayReport report = tally.report(
                    ReplayKind.REDIS_TO_PGMQ,
                    p.jobId(),
                    state,
                    ctx.clock().millis() - start,
                    p.ledger().sentBy(DrainParts.instance(p.jobId())));
            lease.finish(state, report.toJson());
            LOG.info(
                    "[replay] job {} {}: moved {}, quarantined {}",
                    p.jobId(),
                    state.label(),
                    report.moved(),
                    report.quarantined());
            return report;
        }
    }

    private JobState drain(
            DrainParts p,
            ForwardMover mover,
            DrainCounts counts,
            CancelToken cancel,
            Progress progress,
            ReplayTally tally) {
        Throttle throttle = Throttle.perSecond(spec.rate());
        long remaining = spec.limit() == 0 ? Long.MAX_VALUE : spec.limit();
        PassResult last;
        while (true) {
            last = new DrainPass(p, mover, counts, false, true, throttle, cancel, progress, tally, remaining).run();
            remaining -= last.taken;
            if (last.stop == PassResult.Stop.CANCEL) {
                break;
            }
            if (last.stop == PassResult.Stop.LIMIT) {
                break;
            }
            if (spec.follow()) {
                if (last.taken == 0 && cancel.sleep(FOLLOW_IDLE_MILLIS)) {
                    break;
                }
                progress.expect(tally.moved + tally.quarantined + expected(p));
            } else if (last.taken == 0 || !last.unstable) {
                break;
            }
        }
        last.left.forEach((k, v) -> tally.left(k, v));
        last.skipped.forEach((k, v) -> tally.skipped(k, v));
        return switch (last.stop) {
            case CANCEL -> JobState.CANCELLED;
            case LIMIT -> JobState.LIMIT_REACHED;
            case NONE -> JobState.DRAINED;
        };
    }

    /** Finishes the in-flight batches of drain jobs that were killed and never restarted. */
    private void adoptInterrupted(DrainParts p, JobLease lease, DrainCounts counts, ReplayTally tally) {
        for (ReplayJobs.Unfinished u : new ReplayJobs(ctx.db()).unfinished(ReplayKind.REDIS_TO_PGMQ, p.jobId())) {
            if (u.inflightKey() == null || !lease.adopt(u.jobId())) {
                continue;
            }
            int redone;
            try (ForwardMover adopted = p.mover(new InFlightList(ctx.redis(), u.inflightKey()), counts)) {
                redone = adopted.redo().messages();
            }
            tally.resumed += redone;
            if (redone > 0) {
                tally.note("finished " + redone + " in-flight messages of interrupted job " + u.jobId());
            }
            lease.release(u.jobId(), JobState.CANCELLED);
        }
    }

    /** Without a catch-all destination, looks (read only) for selected task types that would have nowhere to go. */
    private void requireDestinations(DrainParts p, ForwardMover mover) {
        if (p.destinations().coversEveryTask()) {
            return;
        }
        ReplayTally look = new ReplayTally();
        PassResult seen = new DrainPass(
                        p,
                        mover,
                        new DrainCounts(look, Progress.NONE, ctx.clock()),
                        true,
                        false,
                        Throttle.perSecond(0),
                        new CancelToken(),
                        Progress.NONE,
                        look,
                        Long.MAX_VALUE)
                .run();
        Map<String, Long> missing = new TreeMap<>();
        seen.left.forEach((reason, n) -> {
            if (reason.startsWith(Selection.NO_DESTINATION)) {
                missing.put(reason.substring(Selection.NO_DESTINATION.length()), n);
            }
        });
        if (!missing.isEmpty()) {
            throw new NoDestinationException(missing);
        }
    }

    /** Counts the job's {@code unacked} entries that are too recent to take, and says why they stay. */
    private void leftInUnacked(DrainParts p, ReplayTally tally) {
        if (!spec.unacked() || spec.workersStopped()) {
            return;
        }
        double cutoff = p.cutoff();
        Set<String> queues = new HashSet<>(spec.queues());
        long recent = 0;
        double newest = 0;
        int offset = 0;
        while (true) {
            var page = p.unacked().page(cutoff, Double.POSITIVE_INFINITY, offset, p.batchSize());
            for (UnackedPeek.Entry e : page) {
                if (e.value() != null
                        && p.routing()
                                .queueOf(e.value())
                                .filter(queues::contains)
                                .isPresent()) {
                    recent++;
                    newest = Math.max(newest, e.deliveredAt());
                }
            }
            offset += page.size();
            if (page.size() < p.batchSize()) {
                break;
            }
        }
        if (recent > 0) {
            long vt = p.visibilityTimeout().toSeconds();
            tally.left("unacked entry delivered within the visibility timeout (" + vt + " s)", recent);
            tally.note(recent + " unacked entries were delivered less than " + vt + " s ago, so a live worker may"
                    + " still hold them. Run again after "
                    + java.time.Instant.ofEpochSecond((long) Math.ceil(newest) + vt)
                    + ", or with --workers-stopped once every Celery worker is stopped.");
        }
    }

    private long expected(DrainParts p) {
        long n = 0;
        if (spec.lists()) {
            for (String key : p.listKeys()) {
                n += p.lists().length(key);
            }
        }
        if (spec.unacked()) {
            n += p.unacked().count(Double.NEGATIVE_INFINITY, p.cutoff());
        }
        return spec.limit() > 0 ? Math.min(n, spec.limit()) : n;
    }

    /** The dry run: the same selection and planning, with every read a peek and nothing written anywhere. */
    private ReplayReport preview(Progress progress, long start) {
        LedgerLookup ledger = new LedgerLookup(ctx.db());
        boolean present = ledger.present();
        RouteTable routes = present ? new RouteStore(ctx.db()).load() : RouteTable.celeryOnly();
        DrainParts p = DrainParts.wire(ctx, spec, routes);
        ReplayTally tally = new ReplayTally();
        if (!present) {
            tally.note("the celery_pgmq schema does not exist yet: no routes, nothing moved before");
        }
        long pending = p.inFlight().size();
        if (pending > 0) {
            tally.note(pending + " messages of an interrupted run of this job are in flight; the next run finishes"
                    + " them first");
        }
        progress.expect(expected(p));
        long limit = spec.limit() == 0 ? Long.MAX_VALUE : spec.limit();
        PassResult r;
        try (ForwardMover mover = p.mover(p.inFlight(), ForwardListener.NONE)) {
            r = new DrainPass(
                            p,
                            mover,
                            new DrainCounts(tally, progress, ctx.clock()),
                            true,
                            present,
                            Throttle.perSecond(0),
                            new CancelToken(),
                            progress,
                            tally,
                            limit)
                    .run();
        }
        r.left.forEach(tally::left);
        r.skipped.forEach(tally::skipped);
        leftInUnacked(p, tally);
        return tally.report(
                ReplayKind.REDIS_TO_PGMQ,
                p.jobId(),
                JobState.DRY_RUN,
                ctx.clock().millis() - start,
                null);
    }
}
