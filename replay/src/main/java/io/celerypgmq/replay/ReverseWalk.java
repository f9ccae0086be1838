package io.celerypgmq.replay;

import io.celerypgmq.bridge.move.Delivery;
import io.celerypgmq.bridge.move.ReverseMover;
import io.celerypgmq.bridge.move.ReverseOutcome;
import io.celerypgmq.bridge.pgmq.PgmqMessage;
import io.celerypgmq.bridge.pgmq.QueueName;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Walks pgmq queues (a queue and its DLQ, or a DLQ being redriven) through the engine's way-back mover until they hold
 * nothing more the job may take (or the limit, or a cancel): the job's filter, limit and rate decide what each batch
 * takes, its lease counts what each batch's transaction moved, and the tally hears every batch. A dry run
 * ({@code lease == null}) reads without locking and writes nothing.
 */
final class ReverseWalk {
    private final ReplayContext ctx;
    private final ReverseSpec spec;
    private final Delivery delivery;
    private final ReverseMover.TxHook log;
    private final ReplayTally tally;
    private final JobLease lease;
    private final CancelToken cancel;
    private final Progress progress;
    private final Throttle throttle;
    private final int batchSize;
    private final Consumer<ReverseOutcome> counts;
    private long remaining;
    private JobState stop;

    /**
     * @param log what each batch's transaction also writes (a redrive log), besides the job's moved count
     * @param counts counts each batch into the tally (on the mover's writer thread, one batch at a time)
     */
    ReverseWalk(
            ReplayContext ctx,
            ReverseSpec spec,
            Delivery delivery,
            ReverseMover.TxHook log,
            Consumer<ReverseOutcome> counts,
            ReplayTally tally,
            JobLease lease,
            CancelToken cancel,
            Progress progress) {
        this.ctx = ctx;
        this.spec = spec;
        this.delivery = delivery;
        this.log = log;
        this.counts = counts;
        this.tally = tally;
        this.lease = lease;
        this.cancel = cancel;
        this.progress = progress;
        this.throttle = Throttle.perSecond(spec.rate());
        this.batchSize = throttle.batchCap(
                spec.batchSize() > 0 ? spec.batchSize() : ctx.settings().batchSize());
        this.remaining = spec.limit() == 0 ? Long.MAX_VALUE : spec.limit();
    }

    JobState run(List<QueueName> queues) {
        ReverseMover.Takeable takeable =
                spec.consumersStopped() ? ReverseMover.Takeable.ALL : ReverseMover.Takeable.NOT_HELD;
        try (ReverseMover mover = new ReverseMover(spec.effectiveJobId(), ctx.db(), takeable, false, batchSize, o -> {
            counts.accept(o);
            progress.advance(o.messages());
        })) {
            progress.expect(count(queues, takeable, false));
            while (true) {
                for (QueueName q : queues) {
                    if (!ReverseMover.exists(ctx.db(), q)) {
                        continue; // a DLQ is often never created
                    }
                    if (lease == null) {
                        mover.preview(q, delivery, this::choose);
                    } else {
                        mover.drain(q, Integer.MAX_VALUE, delivery, this::choose, (tx, o) -> {
                            log.inTransaction(tx, o);
                            lease.addMoved(tx, o.messages());
                        });
                    }
                    if (stop != null) {
                        return stop;
                    }
                }
                if (!spec.follow() || cancel.sleep(RedisToPgmqDrain.FOLLOW_IDLE_MILLIS)) {
                    held(queues, takeable);
                    return cancel.isCancelled() ? JobState.CANCELLED : JobState.DRAINED;
                }
            }
        }
    }

    /** The rows of a batch the job takes (the others counted as skipped); null stops the walk. */
    private List<PgmqMessage> choose(QueueName queue, List<PgmqMessage> rows) {
        if (cancel.isCancelled()) {
            stop = JobState.CANCELLED;
            return null;
        }
        if (remaining <= 0) {
            stop = JobState.LIMIT_REACHED;
            return null;
        }
        Instant now = ctx.clock().instant();
        List<PgmqMessage> chosen = new ArrayList<>(rows.size());
        for (PgmqMessage m : rows) {
            if (!spec.filter().inspectsContent()) {
                if (spec.filter().oldEnough(m.enqueuedAt(), now)) {
                    chosen.add(m); // no task filter: no need to read the message to choose it
                } else {
                    tally.skipped("enqueued less than --older-than ago", 1);
                }
                continue;
            }
            PgmqTask t = PgmqTask.of(m);
            if (!spec.filter().matchesTask(t.task(), t.id())) {
                tally.skipped("not selected by --task/--task-id", 1);
            } else if (!spec.filter().oldEnough(m.enqueuedAt(), now)) {
                tally.skipped("enqueued less than --older-than ago", 1);
            } else {
                chosen.add(m);
            }
        }
        if (chosen.size() > remaining) {
            chosen = chosen.subList(0, (int) remaining);
        }
        if (!chosen.isEmpty() && !throttle.acquire(chosen.size(), cancel)) {
            stop = JobState.CANCELLED;
            return null;
        }
        remaining -= chosen.size();
        return chosen;
    }

    /** Says, in the report, what pgmq consumers hold right now: it stays, and the operator should know. */
    private void held(List<QueueName> queues, ReverseMover.Takeable takeable) {
        if (takeable == ReverseMover.Takeable.ALL) {
            return;
        }
        for (QueueName q : queues) {
            long n = ReverseMover.count(ctx.db(), q, takeable, true);
            if (n > 0) {
                tally.left("held by a pgmq consumer (read, visibility timeout not passed): " + q.value(), n);
                tally.note(n + " messages of " + q.value() + " are held by pgmq consumers (read, their visibility"
                        + " timeout not passed). A running consumer will finish or release them; if every consumer is"
                        + " stopped, run again with --consumers-stopped to take them now.");
            }
        }
    }

    private long count(List<QueueName> queues, ReverseMover.Takeable takeable, boolean held) {
        long n = 0;
        for (QueueName q : queues) {
            n += ReverseMover.count(ctx.db(), q, takeable, held);
        }
        return spec.limit() > 0 ? Math.min(n, spec.limit()) : n;
    }
}
