package io.celerypgmq.bridge.status;

import io.celerypgmq.bridge.pgmq.InvalidQueueNameException;
import io.celerypgmq.bridge.pgmq.QueueName;
import io.celerypgmq.bridge.pump.CeleryHeaders;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The pgmq side of the status: per queue and task type, how many messages wait in the queue and how long the oldest
 * readable one has been readable (since its {@code vt}: so an ETA delay does not count as lag, and a message whose
 * consumer died counts from when it became readable again). Task types are told apart by the bridge's
 * {@code x-celery-task} header, kombu's {@code task} header, or a seed-style {@code task} field.
 */
final class PgmqTaskBacklog {
    /** Messages of one task type in one pgmq queue; {@code lagSeconds} null when none is readable. */
    record Row(String queue, String task, long waiting, Double lagSeconds) {}

    /** The rows, and every queue that exists (an empty one has no rows but a backlog of 0). */
    record Read(List<Row> rows, List<String> queues) {}

    private PgmqTaskBacklog() {}

    static Read read(Connection c, Collection<String> queues) throws SQLException {
        List<Row> out = new ArrayList<>();
        List<String> found = new ArrayList<>();
        for (String queue : queues) {
            String table;
            try {
                table = QueueName.of(queue).queueTable();
            } catch (InvalidQueueNameException e) {
                continue;
            }
            if (!exists(c, "pgmq." + table)) {
                continue;
            }
            found.add(queue);
            String sql = "SELECT coalesce(headers ->> ?, headers ->> 'task', message ->> 'task', '(unknown)'),"
                    + " count(*), extract(epoch FROM clock_timestamp() - min(vt) FILTER (WHERE vt <= clock_timestamp()))"
                    + " FROM pgmq.\"" + table.replace("\"", "\"\"") + "\" GROUP BY 1";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, CeleryHeaders.TASK);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        double lag = rs.getDouble(3);
                        out.add(new Row(queue, rs.getString(1), rs.getLong(2), rs.wasNull() ? null : lag));
                    }
                }
            }
        }
        return new Read(out, found);
    }

    private static boolean exists(Connection c, String relation) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, relation);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }
}
