package io.celerypgmq.replay;

import io.celerypgmq.bridge.pgmq.PgmqMessage;
import io.celerypgmq.bridge.pgmq.QueueName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/** Writes {@code celery_pgmq.redrive_log} rows in the transaction that moves the messages. */
final class RedriveLog implements MoveLog {
    private static final String INSERT = "INSERT INTO celery_pgmq.redrive_log (job_id, from_queue, from_msg_id,"
            + " to_target, to_msg_id, task_name, identity, read_ct) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

    private final String jobId;

    RedriveLog(String jobId) {
        this.jobId = jobId;
    }

    /** Redrive to Celery: the target is {@code celery:<list>}, there is no new msg_id. */
    @Override
    public void record(Connection tx, QueueName from, List<PgmqMessage> moved, List<String> targets)
            throws SQLException {
        write(
                tx,
                from,
                moved,
                targets.stream().map(t -> "celery:" + Keys.printable(t)).toList(),
                null);
    }

    void write(Connection tx, QueueName from, List<PgmqMessage> moved, List<String> targets, List<Long> newIds)
            throws SQLException {
        if (moved.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = tx.prepareStatement(INSERT)) {
            for (int i = 0; i < moved.size(); i++) {
                PgmqMessage m = moved.get(i);
                PgmqTask t = PgmqTask.of(m);
                ps.setString(1, jobId);
                ps.setString(2, from.value());
                ps.setLong(3, m.msgId());
                ps.setString(4, targets.get(i));
                if (newIds == null) {
                    ps.setNull(5, java.sql.Types.BIGINT);
                } else {
                    ps.setLong(5, newIds.get(i));
                }
                ps.setString(6, t.task());
                ps.setString(7, t.identity());
                ps.setInt(8, m.readCt());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
