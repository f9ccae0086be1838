package io.celerypgmq.rollout.rollback;

import io.celerypgmq.bridge.pgmq.QueueName;
import io.celerypgmq.bridge.pump.CeleryHeaders;
import io.celerypgmq.rollout.RolloutStoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/**
 * How many messages of one task type are still in a pgmq queue, readable or held by a consumer: a rollback is done
 * only when none is left in the rollout's queue and its DLQ.
 */
final class PgmqLeftovers {
    private PgmqLeftovers() {}

    static long count(DataSource db, List<QueueName> queues, String task) {
        long n = 0;
        try (Connection c = db.getConnection()) {
            for (QueueName q : queues) {
                String table = "pgmq." + q.queueTable();
                try (PreparedStatement exists = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
                    exists.setString(1, table);
                    try (ResultSet rs = exists.executeQuery()) {
                        if (!rs.next() || !rs.getBoolean(1)) {
                            continue;
                        }
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pgmq.\""
                        + q.queueTable().replace("\"", "\"\"")
                        + "\" WHERE coalesce(headers ->> ?, headers ->> 'task', message ->> 'task',"
                        + " message -> 'headers' ->> 'task') = ?")) {
                    ps.setString(1, CeleryHeaders.TASK);
                    ps.setString(2, task);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        n += rs.getLong(1);
                    }
                }
            }
        } catch (SQLException e) {
            throw new RolloutStoreException("counting what is left of " + task + " in " + queues, e);
        }
        return n;
    }
}
