package io.celerypgmq.replay;

import io.celerypgmq.bridge.pgmq.PgmqMessage;
import io.celerypgmq.bridge.pgmq.QueueName;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** What a walk over pgmq queues does with each batch of rows it has locked: rollback to Celery, or a redrive. */
interface PgmqBatchMover {
    /** Moves {@code rows} of {@code queue} inside {@code tx}; with a null {@code tx} only counts (dry run). */
    void move(Connection tx, QueueName queue, List<PgmqMessage> rows, JobLease lease) throws SQLException;

    /** {@code n} messages of {@code queue} are held by a consumer and stay. */
    void held(QueueName queue, long n);

    /** The rows the job's filter takes; the others are counted as skipped. */
    static List<PgmqMessage> select(List<PgmqMessage> rows, ReplayFilter filter, Instant now, ReplayTally tally) {
        List<PgmqMessage> out = new ArrayList<>();
        for (PgmqMessage m : rows) {
            PgmqTask t = PgmqTask.of(m);
            if (!filter.matchesTask(t.task(), t.id())) {
                tally.skipped("not selected by --task/--task-id", 1);
            } else if (!filter.oldEnough(m.enqueuedAt(), now)) {
                tally.skipped("enqueued less than --older-than ago", 1);
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
