package io.celerypgmq.replay;

import io.celerypgmq.bridge.pgmq.PgmqMessage;
import io.celerypgmq.bridge.pgmq.QueueName;
import io.celerypgmq.bridge.pump.LockedRows;
import io.celerypgmq.bridge.pump.WriterThread;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

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
        try (Connection c = ctx.db().getConnection()) {
            if (!PgmqRows.exists(c, queue)) {
                return null;
            }
        }
        return lease == null ? preview(queue) : pipelined(queue);
    }

    /**
     * A real run, pipelined: while the writer thread pushes, archives and commits batch N, this thread locks and
     * rebuilds batch N + 1 in a transaction of its own (the rows after N's, so the two never meet). Each batch's
     * transaction travels with it to the writer and ends there; a failure rolls back only what was not committed, and
     * the rows it held are takeable again for the next run.
     */
    private JobState pipelined(QueueName queue) {
        AtomicReference<JobState> stop = new AtomicReference<>();
        AtomicLong cursor = new AtomicLong();
        try (WriterThread writer = new WriterThread("replay-writer " + queue.value())) {
            writer.overlap(
                    Integer.MAX_VALUE,
                    () -> {
                        if (cancel.isCancelled() || remaining <= 0) {
                            stop.set(cancel.isCancelled() ? JobState.CANCELLED : JobState.LIMIT_REACHED);
                            return null;
                        }
                        Taken next = take(queue, cursor.get());
                        if (next != null && next.cancelled()) {
                            stop.set(JobState.CANCELLED);
                            return null;
                        }
                        if (next != null) {
                            cursor.set(next.cursor());
                            remaining -= next.size();
                        }
                        return next;
                    },
                    batch -> batch.writeAndCommit(lease),
                    n -> progress.advance(n),
                    Taken::discard);
        }
        return stop.get();
    }

    /** A locked, rebuilt batch and its open transaction, to be written and committed by the writer thread. */
    private record Taken(Connection tx, long cursor, int size, PgmqBatchMover.Prepared prepared, boolean cancelled) {
        /** Ends the transaction of a batch that will not be written (the write before it failed): its rows stay. */
        void discard() {
            if (tx == null) {
                return;
            }
            try (Connection c = tx) {
                c.rollback();
            } catch (SQLException ignored) {
                // a broken connection's transaction is gone with it
            }
        }

        int writeAndCommit(JobLease lease) {
            try (Connection c = tx) {
                try {
                    prepared.write(c, lease);
                    c.commit();
                    return size;
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                }
            } catch (SQLException e) {
                throw new ReplayStoreException("moving pgmq messages", e);
            }
        }
    }

    /** Locks the next batch after {@code cursor} in a new transaction and prepares it; null when none is left. */
    private Taken take(QueueName queue, long cursor) {
        try {
            return takeOrThrow(queue, cursor);
        } catch (SQLException e) {
            throw new ReplayStoreException("moving pgmq messages", e);
        }
    }

    private Taken takeOrThrow(QueueName queue, long cursor) throws SQLException {
        Connection c = ctx.db().getConnection();
        try {
            c.setAutoCommit(false);
            LockedRows.Taken taken = PgmqRows.takeableAfter(c, queue, cursor, batchSize, true);
            List<PgmqMessage> rows = taken.rows();
            if (rows.isEmpty()) {
                c.rollback();
                c.close();
                return null;
            }
            List<String> skipped = new java.util.ArrayList<>();
            List<PgmqMessage> chosen =
                    PgmqBatchMover.select(rows, spec.filter(), ctx.clock().instant(), skipped::add);
            if (chosen.size() > remaining) {
                chosen = chosen.subList(0, (int) remaining);
            }
            if (!chosen.isEmpty() && !throttle.acquire(chosen.size(), cancel)) {
                c.rollback();
                c.close();
                return new Taken(null, cursor, 0, null, true);
            }
            PgmqBatchMover.Prepared moved = batch.prepare(queue, chosen, taken.envelopes());
            PgmqBatchMover.Prepared counted = (tx, l) -> {
                skipped.forEach(reason -> tally.skipped(reason, 1));
                moved.write(tx, l);
            };
            return new Taken(c, rows.get(rows.size() - 1).msgId(), chosen.size(), counted, false);
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            c.close();
            throw e;
        }
    }

    /** A dry run: reads without locking, counts what a run would do, and rolls everything back. */
    private JobState preview(QueueName queue) throws SQLException {
        long cursor = 0;
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
                    LockedRows.Taken taken = PgmqRows.takeableAfter(c, queue, cursor, batchSize, false);
                    List<PgmqMessage> rows = taken.rows();
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
                    batch.prepare(queue, chosen, taken.envelopes()).write(null, null);
                    c.rollback();
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
