package io.celerypgmq.replay;

import io.celerypgmq.bridge.move.CeleryDelivery;
import io.celerypgmq.bridge.move.MessageRebuilder;
import io.celerypgmq.bridge.move.ReverseMover;
import io.celerypgmq.bridge.move.ReverseOutcome;
import io.celerypgmq.bridge.pgmq.PgmqMessage;
import io.celerypgmq.bridge.pgmq.QueueName;
import io.celerypgmq.bridge.pump.CeleryHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rollback: moves pending pgmq messages (and optionally the queue's DLQ) back into Celery lists, through the engine's
 * way-back mover, exactly as the bridge's reverse pump does: each batch is one Postgres transaction that locks its
 * rows; every message is rebuilt into Celery bytes, checked by the strict validator, LPUSHed with its once-only
 * marker, and then archived. A run killed before the commit leaves the rows as they were, and the markers keep the
 * redo from pushing anything twice.
 */
public final class PgmqToRedisReplay {
    private static final Logger LOG = LoggerFactory.getLogger(PgmqToRedisReplay.class);

    private final ReplayContext ctx;
    private final ReverseSpec spec;
    private final MoveLog log;

    public PgmqToRedisReplay(ReplayContext ctx, ReverseSpec spec) {
        this(ctx, spec, MoveLog.NONE);
    }

    PgmqToRedisReplay(ReplayContext ctx, ReverseSpec spec, MoveLog log) {
        this.ctx = ctx;
        this.spec = spec;
        this.log = log;
    }

    /** Runs the move (or, for a dry run, counts what it would do without changing anything). */
    public ReplayReport run(CancelToken cancel, Progress progress) {
        long start = ctx.clock().millis();
        String jobId = spec.effectiveJobId();
        ReplayTally tally = new ReplayTally();
        List<QueueName> queues = new ArrayList<>(List.of(QueueName.of(spec.pgmqQueue())));
        if (spec.includeDlq()) {
            queues.add(QueueName.of(spec.pgmqQueue() + "_dlq"));
        }
        ExecutorService pushes = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "replay-push " + jobId);
            t.setDaemon(true);
            return t;
        });
        try {
            CeleryDelivery delivery = new CeleryDelivery(
                    ctx.db(),
                    ctx.redis(),
                    new MessageRebuilder(ctx.codec(), ctx.templates()),
                    ctx.keys(),
                    this::celeryQueueOf,
                    pushes);
            ReverseMover.TxHook moveLog = (tx, o) -> log.record(tx, o.queue(), rows(o), targets(o));
            if (spec.dryRun()) {
                JobState state = new ReverseWalk(
                                ctx, spec, delivery, moveLog, o -> count(o, tally), tally, null, cancel, progress)
                        .run(queues);
                return tally.report(
                        kind(),
                        jobId,
                        state == JobState.CANCELLED ? state : JobState.DRY_RUN,
                        ctx.clock().millis() - start,
                        null);
            }
            ReplaySchema.install(ctx.db());
            try (JobLease lease = new ReplayJobs(ctx.db()).begin(jobId, kind(), spec.toJson(), null)) {
                LOG.info("[replay] job {} moves pgmq {} back to Celery", jobId, queues);
                JobState state = new ReverseWalk(
                                ctx, spec, delivery, moveLog, o -> count(o, tally), tally, lease, cancel, progress)
                        .run(queues);
                ReplayReport report =
                        tally.report(kind(), jobId, state, ctx.clock().millis() - start, lease.moved());
                lease.finish(state, report.toJson());
                return report;
            }
        } finally {
            pushes.shutdown();
        }
    }

    private ReplayKind kind() {
        return log == MoveLog.NONE ? ReplayKind.PGMQ_TO_REDIS : ReplayKind.REDRIVE;
    }

    /** Counts one batch: pushed now (moved), pushed by an earlier attempt (duplicate), quarantined. */
    static void count(ReverseOutcome o, ReplayTally tally) {
        String source = "pgmq:" + o.queue().value();
        for (ReverseOutcome.Delivered d : o.delivered()) {
            if (d.fresh()) {
                tally.moved(d.task(), source, Keys.printable(d.target()));
            } else {
                tally.duplicates++;
            }
        }
        o.quarantined().forEach(q -> tally.failure(q.reason(), source));
    }

    private static List<PgmqMessage> rows(ReverseOutcome o) {
        return o.delivered().stream().map(ReverseOutcome.Delivered::row).toList();
    }

    private static List<String> targets(ReverseOutcome o) {
        return o.delivered().stream().map(ReverseOutcome.Delivered::target).toList();
    }

    /** The Celery queue a message goes back to: the job's, else the one it came from (header or envelope). */
    private String celeryQueueOf(PgmqMessage m) {
        if (spec.celeryQueue() != null) {
            return spec.celeryQueue();
        }
        String fromHeader = ReplayJson.text(m.headers(), CeleryHeaders.QUEUE);
        if (fromHeader != null) {
            return fromHeader;
        }
        String fromEnvelope = ReplayJson.routingKey(m.message());
        if (fromEnvelope != null) {
            return fromEnvelope;
        }
        throw new IllegalArgumentException("no Celery queue known for this message; pass --celery-queue");
    }
}
