package io.celerypgmq.replay;

import io.celerypgmq.bridge.codec.KombuEnvelope;
import io.celerypgmq.bridge.codec.PriorityKeys;
import io.celerypgmq.bridge.ledger.Quarantine;
import io.celerypgmq.bridge.ledger.QuarantineEntry;
import io.celerypgmq.bridge.pgmq.PgmqClient;
import io.celerypgmq.bridge.pgmq.PgmqMessage;
import io.celerypgmq.bridge.pgmq.QueueName;
import io.celerypgmq.bridge.pump.CeleryHeaders;
import io.celerypgmq.bridge.pump.ReversePump;
import io.celerypgmq.bridge.redis.OnceOnlyPusher;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rollback: moves pending pgmq messages (and optionally the queue's DLQ) back into Celery lists. Each batch is one
 * Postgres transaction that locks the rows it reads; inside it every message is rebuilt into Celery bytes by the
 * reverse pump's rebuilder, checked by the strict validator, LPUSHed with the reverse pump's idempotency marker, and
 * then archived. A run killed before the commit leaves the rows as they were, and the markers keep the redo from
 * pushing anything twice.
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
        ReverseBatch batch =
                new ReverseBatch(ctx, spec, new ReversePump.MessageRebuilder(ctx.codec(), ctx.templates()), log, tally);
        if (spec.dryRun()) {
            JobState state = new ReverseLoop(ctx, spec, batch, tally, null, cancel, progress).run(queues);
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
            JobState state = new ReverseLoop(ctx, spec, batch, tally, lease, cancel, progress).run(queues);
            ReplayReport report = tally.report(kind(), jobId, state, ctx.clock().millis() - start, lease.moved());
            lease.finish(state, report.toJson());
            return report;
        }
    }

    private ReplayKind kind() {
        return log == MoveLog.NONE ? ReplayKind.PGMQ_TO_REDIS : ReplayKind.REDRIVE;
    }

    /** One transaction's worth of rows: rebuild, push once, quarantine, archive. */
    static final class ReverseBatch implements PgmqBatchMover {
        private final ReplayContext ctx;
        private final ReverseSpec spec;
        private final ReversePump.MessageRebuilder rebuilder;
        private final PriorityKeys keys;
        private final OnceOnlyPusher pusher;
        private final PgmqClient pgmq;
        private final MoveLog log;
        private final ReplayTally tally;

        ReverseBatch(
                ReplayContext ctx,
                ReverseSpec spec,
                ReversePump.MessageRebuilder rebuilder,
                MoveLog log,
                ReplayTally t) {
            this.ctx = ctx;
            this.spec = spec;
            this.rebuilder = rebuilder;
            this.keys = ctx.keys();
            this.pusher = new OnceOnlyPusher(ctx.redis());
            this.pgmq = new PgmqClient(ctx.db());
            this.log = log;
            this.tally = t;
        }

        /** Rebuilds every row now; pushing, quarantining, archiving and counting wait for the batch's transaction. */
        @Override
        public Prepared prepare(QueueName queue, List<PgmqMessage> rows, Map<String, byte[]> envelopes) {
            String source = "pgmq:" + queue.value();
            List<OnceOnlyPusher.Push> pushes = new ArrayList<>();
            List<PgmqMessage> pushed = new ArrayList<>();
            List<String> targets = new ArrayList<>();
            List<String> tasks = new ArrayList<>(); // for the tally, worked out here: off the writer's path
            List<QuarantineEntry> bad = new ArrayList<>();
            List<Long> archive = new ArrayList<>();
            for (PgmqMessage m : rows) {
                try {
                    String celeryQueue = celeryQueueOf(m);
                    ReversePump.MessageRebuilder.Rebuilt r =
                            rebuilder.rebuild(m, queue.value(), celeryQueue, envelopes);
                    String list = keys.keyFor(celeryQueue, r.priority());
                    pushes.add(
                            new OnceOnlyPusher.Push(ReversePump.markerKey(queue.value(), m.msgId()), list, r.bytes()));
                    pushed.add(m);
                    targets.add(list);
                    tasks.add(PgmqTask.of(m).task());
                } catch (RuntimeException e) {
                    byte[] raw = m.message() == null ? new byte[0] : m.message().getBytes(StandardCharsets.UTF_8);
                    bad.add(new QuarantineEntry(
                            source + ":" + m.msgId() + ":" + KombuEnvelope.sha256(raw),
                            source,
                            raw,
                            "UNREVERSIBLE",
                            e.getMessage() == null ? e.toString() : e.getMessage()));
                }
                archive.add(m.msgId());
            }
            return (tx, lease) -> {
                bad.forEach(q -> tally.failure("UNREVERSIBLE", source));
                List<Boolean> fresh;
                if (tx == null) {
                    fresh = alreadyPushed(pushes);
                } else {
                    // the push runs while this transaction archives; it commits (after this returns) only once the
                    // push has succeeded, and a failure on either side rolls the archive back
                    OnceOnlyPusher.Pending pushing = pusher.pushMeanwhile(pushes);
                    try {
                        Quarantine.record(tx, bad);
                        if (!archive.isEmpty()) {
                            pgmq.in(tx).archive(queue, archive);
                        }
                        log.record(tx, queue, pushed, targets);
                        lease.addMoved(tx, archive.size());
                    } catch (SQLException | RuntimeException | Error e) {
                        pushing.settle();
                        throw e;
                    }
                    fresh = pushing.await();
                }
                for (int i = 0; i < pushed.size(); i++) {
                    if (fresh.get(i)) {
                        tally.moved(tasks.get(i), source, Keys.printable(targets.get(i)));
                    } else {
                        tally.duplicates++;
                    }
                }
            };
        }

        @Override
        public void held(QueueName queue, long n) {
            PgmqBatchMover.held(tally, queue, n);
        }

        /** Dry run: which pushes would be new (no marker yet), read only. */
        private List<Boolean> alreadyPushed(List<OnceOnlyPusher.Push> pushes) {
            List<Boolean> out = new ArrayList<>(pushes.size());
            for (OnceOnlyPusher.Push p : pushes) {
                out.add(!ctx.redis().exists(p.markerKey()));
            }
            return out;
        }

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
}
