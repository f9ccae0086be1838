package io.celerypgmq.replay;

import io.celerypgmq.bridge.pgmq.PgmqMessage;
import io.celerypgmq.bridge.pgmq.QueueName;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Walks pgmq queues (a queue and its DLQ, or a DLQ being redriven) in id order, one transaction per batch, until they hold nothing more the job may take (or the
 * limit, or a cancel). A dry run ({@code lease == null}) reads without locking and rolls nothing forward.
 */
final class ReverseLoop {
    private final ReplayContext ctx;
    private final ReverseSpec spec;
    private final PgmqBatchMover batch;
    private final ReplayTally tally;
    private final JobLease lease;
    private final CancelToken cancel;
    private final Progress progress;
    private final Throttle throttle;
    private final int batchSize;
    private long remaining;

    ReverseLoop(
            ReplayContext ctx,
            ReverseSpec spec,
            PgmqBatchMover batch,
            ReplayTally tally,
            JobLease lease,
            CancelToken cancel,
            Progress progress) {
        this.ctx = ctx;
        this.spec = spec;
        this.batch = batch;
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
        try {
            progress.expect(visible(queues));
            while (true) {
                for (QueueName q : queues) {
                    JobState stop = drain(q);
                    if (stop != null) {
                        return stop;
                    }
                }
                if (!spec.follow() || cancel.sleep(RedisToPgmqDrain.FOLLOW_IDLE_MILLIS)) {
                    held(queues);
                    return cancel.isCancelled() ? JobState.CANCELLED : JobState.DRAINED;
                }
            }
        } catch (SQLException e) {
            throw new ReplayStoreException("moving pgmq messages", e);
        }
    }

    /** Drains one queue; returns a final state when the job must stop, null when the queue is done. */
    private JobState drain(QueueName queue) throws SQLException {
        long cursor = 0;
        try (Connection c = ctx.db().getConnection()) {
            if (!PgmqRows.exists(c, queue)) {
                return null;
            }
        }
        while (true) {
            if (cancel.isCancelled()) {
                return JobState.CANCELLED;
            }
            if (remaining <= 0) {
                return JobState.LIMIT_REACHED;
            }
            try (Connection c = ctx.db().getConnection()) {
                c.setAutoCommit(false);
                try {
                    List<PgmqMessage> rows = PgmqRows.takeableAfter(c, queue, cursor, batchSize, lease != null);
                    if (rows.isEmpty()) {
                        c.rollback();
                        return null;
                    }
                    cursor = rows.get(rows.size() - 1).msgId();
                    List<PgmqMessage> chosen = PgmqBatchMover.select(
                            rows, spec.filter(), ctx.clock().instant(), tally);
                    if (chosen.size() > remaining) {
                        chosen = chosen.subList(0, (int) remaining);
                    }
                    if (lease != null && !chosen.isEmpty() && !throttle.acquire(chosen.size(), cancel)) {
                        c.rollback();
                        return JobState.CANCELLED;
                    }
                    batch.move(lease == null ? null : c, queue, chosen, lease);
                    if (lease == null) {
                        c.rollback();
                    } else {
                        c.commit();
                    }
                    remaining -= chosen.size();
                    progress.advance(chosen.size());
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                }
            }
        }
    }

    /** Counts what pgmq consumers hold right now: it stays, and the operator should know. */
    private void held(List<QueueName> queues) throws SQLException {
        try (Connection c = ctx.db().getConnection()) {
            for (QueueName q : queues) {
                long n = PgmqRows.exists(c, q) ? PgmqRows.heldCount(c, q) : 0;
                if (n > 0) {
                    batch.held(q, n);
                }
            }
        }
    }

    private long visible(List<QueueName> queues) throws SQLException {
        long n = 0;
        try (Connection c = ctx.db().getConnection()) {
            for (QueueName q : queues) {
                if (PgmqRows.exists(c, q)) {
                    n += PgmqRows.takeableCount(c, q);
                }
            }
        }
        return spec.limit() > 0 ? Math.min(n, spec.limit()) : n;
    }
}
