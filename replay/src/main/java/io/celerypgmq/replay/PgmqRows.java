package io.celerypgmq.replay;

import io.celerypgmq.bridge.pgmq.PgmqMessage;
import io.celerypgmq.bridge.pgmq.QueueName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the messages of a pgmq queue no consumer holds, straight from its table, in id order after a cursor: the
 * visible ones, and the delayed ones never read (a future ETA; Celery keeps the ETA itself, so they may go now). A
 * message a consumer has read and whose visibility timeout has not passed is held, and stays. With {@code lock} the
 * rows are locked ({@code FOR UPDATE SKIP LOCKED}, as pgmq's own read does) until the caller's transaction ends, so
 * a move can happen in one transaction and a crash leaves them untouched: unlike {@code pgmq.read}, nothing becomes
 * invisible and {@code read_ct} is not raised. Without {@code lock} it is a plain SELECT (dry runs).
 */
final class PgmqRows {
    private static final String TAKEABLE = "(vt <= clock_timestamp() OR read_ct = 0)";

    private PgmqRows() {}

    static List<PgmqMessage> takeableAfter(Connection c, QueueName queue, long afterMsgId, int limit, boolean lock)
            throws SQLException {
        String sql = "SELECT msg_id, read_ct, enqueued_at, vt, message::text, headers::text FROM "
                + table(queue) + " WHERE " + TAKEABLE + " AND msg_id > ? ORDER BY msg_id LIMIT ?"
                + (lock ? " FOR UPDATE SKIP LOCKED" : "");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, afterMsgId);
            ps.setInt(2, limit);
            List<PgmqMessage> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp vt = rs.getTimestamp("vt");
                    out.add(new PgmqMessage(
                            rs.getLong("msg_id"),
                            rs.getInt("read_ct"),
                            rs.getTimestamp("enqueued_at").toInstant(),
                            null,
                            vt.toInstant(),
                            rs.getString("message"),
                            rs.getString("headers")));
                }
            }
            return out;
        }
    }

    /** Whether the queue's table exists (a DLQ is often never created). */
    static boolean exists(Connection c, QueueName queue) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, table(queue));
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
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + table(queue) + " WHERE " + where);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** {@code pgmq."q_<name>"}: the name is validated by {@link QueueName}; quoting keeps dots and hyphens intact. */
    static String table(QueueName queue) {
        return "pgmq.\"" + queue.queueTable().replace("\"", "\"\"") + "\"";
    }
}
