package io.celerypgmq.replay;

import io.celerypgmq.bridge.pgmq.QueueName;
import io.celerypgmq.bridge.pump.LockedRows;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Reads the messages of a pgmq queue no consumer holds, straight from its table, in id order after a cursor: the
 * visible ones, and the delayed ones never read (a future ETA; Celery keeps the ETA itself, so they may go now). A
 * message a consumer has read and whose visibility timeout has not passed is held, and stays. The rows come through
 * {@link LockedRows}: with {@code lock} they stay locked until the caller's transaction ends, so a move happens in one
 * transaction and a crash leaves them untouched.
 */
final class PgmqRows {
    private static final String TAKEABLE = "(q.vt <= clock_timestamp() OR q.read_ct = 0)";

    private PgmqRows() {}

    /** Up to {@code limit} takeable rows after {@code afterMsgId}, with the envelope copies the ledger keeps for them. */
    static LockedRows.Taken takeableAfter(Connection c, QueueName queue, long afterMsgId, int limit, boolean lock)
            throws SQLException {
        return LockedRows.take(c, queue, TAKEABLE, afterMsgId, limit, lock);
    }

    /** Whether the queue's table exists (a DLQ is often never created). */
    static boolean exists(Connection c, QueueName queue) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, LockedRows.table(queue));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** How many messages could be taken now. */
    static long takeableCount(Connection c, QueueName queue) throws SQLException {
        return count(c, queue, TAKEABLE);
    }

    /** How many messages a consumer holds (read, visibility timeout not passed). */
    static long heldCount(Connection c, QueueName queue) throws SQLException {
        return count(c, queue, "NOT " + TAKEABLE);
    }

    private static long count(Connection c, QueueName queue, String where) throws SQLException {
        try (PreparedStatement ps =
                        c.prepareStatement("SELECT count(*) FROM " + LockedRows.table(queue) + " AS q WHERE " + where);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
