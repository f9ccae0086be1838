package io.celerypgmq.bridge.move;

import io.celerypgmq.bridge.pgmq.PgmqMessage;
import io.celerypgmq.bridge.pgmq.QueueName;
import io.celerypgmq.bridge.pump.CeleryHeaders;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Takes pgmq messages for the way back to Celery straight from the queue's table, in id order, with the envelope
 * copies the ledger keeps for them, in one statement.
 *
 * <p>With {@code lock} the rows are locked ({@code FOR UPDATE SKIP LOCKED}, as {@code pgmq.read} does first) until the
 * caller's transaction ends, so the push to Redis and the archive can share that transaction. Unlike {@code pgmq.read}
 * nothing is rewritten: no row is hidden behind a visibility timeout, and {@code read_ct} is not raised. A crash before
 * the commit leaves the rows as they were, takeable at once, and the once-only markers keep the redo from pushing
 * twice. Without {@code lock} it is a plain read (dry runs).
 *
 * <p>The ledger is looked up only for messages that may need it: neither in the {@code kombu} format (the message is
 * the envelope) nor carrying the envelope in the legacy {@code x-celery-envelope} header.
 */
final class LockedRows {
    /** Which rows of a queue a mover may take. */
    enum Takeable {
        /** Visible now: no consumer holds them (the daemon's reverse pump). */
        VISIBLE("q.vt <= clock_timestamp()"),
        /**
         * Visible, or delayed and never read (a future ETA: Celery keeps the ETA itself, so they may go now); a message a
         * consumer read and whose visibility timeout has not passed stays with that consumer (replay's default).
         */
        NOT_HELD("(q.vt <= clock_timestamp() OR q.read_ct = 0)"),
        /**
         * Every row, also those read by consumers whose visibility timeout has not passed: only once every consumer of
         * the queue is stopped (replay's {@code --consumers-stopped}); a running consumer's open transaction still
         * keeps its rows ({@code SKIP LOCKED}).
         */
        ALL("true");

        final String predicate;

        Takeable(String predicate) {
            this.predicate = predicate;
        }
    }

    /** The rows taken, in id order, and the envelope copies the ledger had for them, by identity. */
    record Taken(List<PgmqMessage> rows, Map<String, byte[]> envelopes) {
        boolean isEmpty() {
            return rows.isEmpty();
        }

        /** The id of the last row, or {@code after} when none was taken. */
        long lastMsgId(long after) {
            return rows.isEmpty() ? after : rows.get(rows.size() - 1).msgId();
        }
    }

    /**
     * The identity to look up in the ledger, or NULL (no look-up at all) where the message has no copy there: only
     * {@code task} and {@code template} messages have one (a {@code kombu} message is the envelope, and carries only
     * kombu's headers and our identity; a message a producer on {@code pgmq://} published has no ledger row at all).
     */
    private static final String WANTED = "CASE WHEN (q.headers->>'" + CeleryHeaders.FORMAT
            + "') IN ('task', 'template')"
            + " AND q.headers->>'" + CeleryHeaders.ENVELOPE + "' IS NULL THEN q.headers->>'" + CeleryHeaders.IDENTITY
            + "' END";

    /**
     * The look-up is a lateral subquery per row (its {@code LIMIT} keeps it one), not a join, so that it is always a
     * probe of the ledger's primary key: a join leaves the planner free to scan a ledger of millions of rows.
     * {@code %3$s} is the message column: always, or only where no envelope copy was found.
     */
    private static final String SELECT = "SELECT q.msg_id, q.read_ct, q.enqueued_at, q.vt, %3$s, q.headers::text,"
            + " w.identity, k.envelope FROM %1$s AS q CROSS JOIN LATERAL (SELECT " + WANTED + " AS identity) AS w"
            + " LEFT JOIN LATERAL (SELECT l.envelope FROM celery_pgmq.ledger AS l WHERE l.identity = w.identity"
            + " AND l.envelope IS NOT NULL LIMIT 1) AS k ON true"
            + " WHERE (%2$s) AND q.msg_id > ? ORDER BY q.msg_id LIMIT ?";

    private static final String EVERY_MESSAGE = "q.message::text";
    private static final String MESSAGE_UNLESS_KEPT = "CASE WHEN k.envelope IS NULL THEN q.message::text END";

    private LockedRows() {}

    /**
     * @param which which rows may be taken
     * @param afterMsgId take only rows with a greater id (0 for all)
     * @param lock lock the rows taken until {@code c}'s transaction ends; {@code c} must not be in auto-commit
     * @param everyMessage read each row's message; false leaves it out ({@link PgmqMessage#message()} null) where
     *     the ledger kept the envelope, which is all a rebuild then needs: a {@code task} message back to Celery
     *     reads about half the bytes
     */
    static Taken take(
            Connection c,
            QueueName queue,
            Takeable which,
            long afterMsgId,
            int limit,
            boolean lock,
            boolean everyMessage)
            throws SQLException {
        String sql =
                String.format(SELECT, table(queue), which.predicate, everyMessage ? EVERY_MESSAGE : MESSAGE_UNLESS_KEPT)
                        + (lock ? " FOR UPDATE OF q SKIP LOCKED" : "");
        List<PgmqMessage> rows = new ArrayList<>(limit);
        Map<String, byte[]> envelopes = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, afterMsgId);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp vt = rs.getTimestamp(4);
                    rows.add(new PgmqMessage(
                            rs.getLong(1),
                            rs.getInt(2),
                            rs.getTimestamp(3).toInstant(),
                            null,
                            vt.toInstant(),
                            rs.getString(5),
                            rs.getString(6)));
                    byte[] envelope = rs.getBytes(8);
                    if (envelope != null) {
                        envelopes.put(rs.getString(7), envelope);
                    }
                }
            }
        }
        return new Taken(rows, envelopes);
    }

    /** {@code pgmq."q_<name>"}: the name is validated by {@link QueueName}; quoting keeps dots and hyphens intact. */
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

    /** How many rows {@code which} would take now ({@code held}: how many it would leave). */
    static long count(Connection c, QueueName queue, Takeable which, boolean held) throws SQLException {
        String where = held ? "NOT " + which.predicate : which.predicate;
        try (PreparedStatement ps =
                        c.prepareStatement("SELECT count(*) FROM " + table(queue) + " AS q WHERE " + where);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static String table(QueueName queue) {
        return "pgmq.\"" + queue.queueTable().replace("\"", "\"\"") + "\"";
    }
}
