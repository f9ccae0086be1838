package io.celerypgmq.bridge.move;

import io.celerypgmq.bridge.ledger.LedgerException;
import io.celerypgmq.bridge.pgmq.PgmqClient;
import io.celerypgmq.bridge.pgmq.PgmqMessage;
import io.celerypgmq.bridge.pgmq.QueueName;
import io.celerypgmq.bridge.store.SqlFailure;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The way-back batch protocol, the one every hop out of pgmq runs (the bridge's reverse pump, replay's rollback and
 * redrive): lock a batch of rows in a transaction ({@code FOR UPDATE SKIP LOCKED}, nothing rewritten), choose and
 * prepare it on this thread, then, on the writer thread, deliver it (push to Celery once only, or send to another
 * queue), quarantine what cannot go, archive, and commit. DESIGN invariant 1 on the way back: the rows leave pgmq only
 * in the transaction that commits after the delivery succeeded; a crash before leaves them as they were, takeable at
 * once, and the once-only markers keep a redo from pushing twice.
 *
 * <p>Pipelined: while the writer delivers and commits batch N, this thread locks and prepares batch N + 1 in a
 * transaction of its own, taking rows after N's last id so the two never meet. A failed write rolls back its batch and
 * the one taken behind it.
 */
public final class ReverseMover implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReverseMover.class);

    /** Prefix of the once-only markers, {@code <prefix><pgmq queue>:<msg_id>}. */
    public static final String MARKER_PREFIX = "celery-pgmq:reversed:";

    /** The once-only marker of one pgmq message going back to Celery. */
    public static String markerKey(String pgmqQueue, long msgId) {
        return MARKER_PREFIX + pgmqQueue + ":" + msgId;
    }

    /** Which rows a walk takes. */
    public enum Takeable {
        /** Visible now: no consumer holds them (the bridge's reverse pump). */
        VISIBLE(LockedRows.Takeable.VISIBLE),
        /** Visible, or delayed and never read (replay's default: Celery keeps ETAs itself). */
        NOT_HELD(LockedRows.Takeable.NOT_HELD),
        /** Every row, also those read by consumers that were stopped before their visibility timeout passed. */
        ALL(LockedRows.Takeable.ALL);

        final LockedRows.Takeable rows;

        Takeable(LockedRows.Takeable rows) {
            this.rows = rows;
        }
    }

    /** Which of the rows taken go now; may wait (a rate limit). Null stops the walk (a limit reached, a cancel). */
    @FunctionalInterface
    public interface Selection {
        Selection ALL = (queue, rows) -> rows;

        List<PgmqMessage> choose(QueueName queue, List<PgmqMessage> rows);
    }

    /** What the batch's transaction also writes before it commits (a replay job's counts, a redrive log). */
    @FunctionalInterface
    public interface TxHook {
        TxHook NONE = (tx, outcome) -> {};

        void inTransaction(Connection tx, ReverseOutcome outcome) throws SQLException;
    }

    /** Hears every batch delivered (on the writer thread) or previewed. */
    @FunctionalInterface
    public interface Listener {
        Listener NONE = outcome -> {};

        void moved(ReverseOutcome outcome);
    }

    private final DataSource db;
    private final PgmqClient pgmq;
    private final Takeable takeable;
    private final boolean recreateDropped;
    private final int batchSize;
    private final Listener listener;
    private final Pipeline pipeline;

    /**
     * @param recreateDropped a queue dropped under the running mover is created again (the bridge's pump, whose
     *     sources are configured) rather than skipped (a replay walk, whose queues may not exist)
     */
    public ReverseMover(
            String name, DataSource db, Takeable takeable, boolean recreateDropped, int batchSize, Listener listener) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, was " + batchSize);
        }
        this.db = db;
        this.pgmq = new PgmqClient(db);
        this.takeable = takeable;
        this.recreateDropped = recreateDropped;
        this.batchSize = batchSize;
        this.listener = listener;
        this.pipeline = new Pipeline("reverse-writer " + name);
    }

    /**
     * Moves up to {@code batches} batches of {@code queue} through {@code delivery}; returns how many messages were
     * handled. Within a walk each batch is taken after the last id of the one before; each walk starts again from the
     * queue's head, so rows skipped (locked by a consumer, or committed late with a lower id) are seen on the next.
     */
    public int drain(QueueName queue, int batches, Delivery delivery, Selection selection, TxHook hook) {
        AtomicInteger done = new AtomicInteger();
        AtomicLong after = new AtomicLong();
        pipeline.overlap(
                batches,
                () -> take(queue, after, delivery, selection),
                taken -> write(taken, hook),
                done::addAndGet,
                Taken::discard);
        return done.get();
    }

    /** What a walk of {@code queue} would do, read without locks, nothing written; returns messages looked at. */
    public int preview(QueueName queue, Delivery delivery, Selection selection) {
        long after = 0;
        int seen = 0;
        while (true) {
            try (Connection c = db.getConnection()) {
                c.setAutoCommit(false);
                try {
                    LockedRows.Taken taken = LockedRows.take(c, queue, takeable.rows, after, batchSize, false, true);
                    if (taken.isEmpty()) {
                        return seen;
                    }
                    after = taken.lastMsgId(after);
                    List<PgmqMessage> chosen = selection.choose(queue, taken.rows());
                    if (chosen == null) {
                        return seen;
                    }
                    listener.moved(
                            delivery.prepare(queue, chosen, taken.envelopes()).preview());
                    seen += chosen.size();
                } finally {
                    HandOff.rollbackQuietly(c);
                }
            } catch (SQLException e) {
                throw new LedgerException("reading " + queue.value() + " for a dry run", e);
            }
        }
    }

    /** A batch taken and prepared, its rows locked by {@code tx}. */
    private record Taken(Connection tx, Delivery.Prepared prepared) {
        /** Ends the batch's transaction without writing anything: its rows stay as they were. */
        void discard() {
            end(tx);
        }
    }

    private Taken take(QueueName queue, AtomicLong after, Delivery delivery, Selection selection) {
        Connection c = null;
        try {
            c = db.getConnection();
            c.setAutoCommit(false);
            LockedRows.Taken taken =
                    LockedRows.take(c, queue, takeable.rows, after.get(), batchSize, true, delivery.everyMessage());
            if (taken.isEmpty()) {
                end(c);
                return null;
            }
            after.set(taken.lastMsgId(after.get()));
            List<PgmqMessage> chosen = selection.choose(queue, taken.rows());
            if (chosen == null) {
                end(c);
                return null;
            }
            return new Taken(c, delivery.prepare(queue, chosen, taken.envelopes()));
        } catch (SQLException e) {
            end(c);
            if (SqlFailure.kind(e) == SqlFailure.Kind.MISSING_TABLE) {
                return missing(queue, e);
            }
            throw new LedgerException("taking a batch of " + queue.value() + " for the way back", e);
        } catch (RuntimeException | Error e) {
            end(c);
            throw e;
        }
    }

    /** The queue is gone: created again where it is configured to be there, else nothing to take. */
    private Taken missing(QueueName queue, SQLException e) {
        if (recreateDropped) {
            LOG.warn(
                    "[reverse] pgmq queue {} is gone ({}); creating it again (empty)",
                    queue.value(),
                    SqlFailure.describe(e));
            pgmq.create(queue);
        }
        return null;
    }

    private int write(Taken b, TxHook hook) {
        ReverseOutcome outcome;
        try (Connection c = b.tx()) {
            try {
                outcome = b.prepared().deliver(c);
                hook.inTransaction(c, outcome);
                c.commit();
            } catch (SQLException | RuntimeException | Error e) {
                HandOff.rollbackQuietly(c);
                throw e;
            }
        } catch (SQLException e) {
            throw new LedgerException("delivering a batch of " + b.prepared().size() + " pgmq messages", e);
        }
        if (!outcome.quarantined().isEmpty()) {
            LOG.warn(
                    "[reverse] {}: quarantined {} of {} messages on the way back: {}",
                    outcome.queue().value(),
                    outcome.quarantined().size(),
                    outcome.messages(),
                    outcome.quarantineReasons());
        }
        listener.moved(outcome);
        return outcome.messages();
    }

    private static void end(Connection c) {
        if (c == null) {
            return;
        }
        HandOff.rollbackQuietly(c);
        try {
            c.close();
        } catch (SQLException ignored) {
            // the pool discards a connection it cannot close
        }
    }

    /** Whether {@code queue}'s table exists. */
    public static boolean exists(DataSource db, QueueName queue) {
        try (Connection c = db.getConnection()) {
            return LockedRows.exists(c, queue);
        } catch (SQLException e) {
            throw new LedgerException("looking for pgmq queue " + queue.value(), e);
        }
    }

    /**
     * How many messages of {@code queue} a walk taking {@code which} would take now, or, with {@code held}, would
     * leave (held by consumers); 0 for a queue that does not exist.
     */
    public static long count(DataSource db, QueueName queue, Takeable which, boolean held) {
        try (Connection c = db.getConnection()) {
            return LockedRows.exists(c, queue) ? LockedRows.count(c, queue, which.rows, held) : 0;
        } catch (SQLException e) {
            throw new LedgerException("counting pgmq queue " + queue.value(), e);
        }
    }

    /** Stops the writer thread; call between passes. */
    @Override
    public void close() {
        pipeline.close();
    }
}
