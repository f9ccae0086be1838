package io.celerypgmq.replay;

import io.celerypgmq.bridge.pgmq.PgmqMessage;
import io.celerypgmq.bridge.pgmq.QueueName;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What a walk over pgmq queues does with each batch of rows it has locked: rollback to Celery, or a redrive. */
interface PgmqBatchMover {
    /**
     * Rebuilds what needs no store now (so that a walk can do it for the next batch while this one is written); the
     * returned half writes inside the batch's transaction, or with a null {@code tx} only counts (a dry run), and is
     * the only one that touches the tally.
     *
     * @param envelopes the envelope copies the ledger keeps for {@code rows}, by identity
     */
    Prepared prepare(QueueName queue, List<PgmqMessage> rows, Map<String, byte[]> envelopes);

    /** The writing half of a move. */
    @FunctionalInterface
    interface Prepared {
        void write(Connection tx, JobLease lease) throws SQLException;
    }

    /** {@code n} messages of {@code queue} are held by a consumer and stay. */
    void held(QueueName queue, long n);

    /** The rows the job's filter takes; the others are counted as skipped. */
    static List<PgmqMessage> select(List<PgmqMessage> rows, ReplayFilter filter, Instant now, ReplayTally tally) {
        return select(rows, filter, now, reason -> tally.skipped(reason, 1));
    }

    /** The rows the job's filter takes; {@code skipped} hears the reason for each of the others. */
    static List<PgmqMessage> select(
            List<PgmqMessage> rows, ReplayFilter filter, Instant now, java.util.function.Consumer<String> skipped) {
        List<PgmqMessage> out = new ArrayList<>();
        for (PgmqMessage m : rows) {
            PgmqTask t = PgmqTask.of(m);
            if (!filter.matchesTask(t.task(), t.id())) {
                skipped.accept("not selected by --task/--task-id");
            } else if (!filter.oldEnough(m.enqueuedAt(), now)) {
                skipped.accept("enqueued less than --older-than ago");
            } else {
                out.add(m);
            }
        }
        return out;
    }

    /** Says, in the report, that consumers hold messages the job could not take. */
    static void held(ReplayTally tally, QueueName queue, long n) {
        tally.left("held by a pgmq consumer (read, visibility timeout not passed): " + queue.value(), n);
        tally.note(n + " messages of " + queue.value() + " are held by a pgmq consumer; run again once its"
                + " visibility timeout passes, or after stopping the consumers");
    }
}
