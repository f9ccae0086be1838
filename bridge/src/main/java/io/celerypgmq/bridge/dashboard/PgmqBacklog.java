package io.celerypgmq.bridge.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.celerypgmq.bridge.pgmq.InvalidQueueNameException;
import io.celerypgmq.bridge.pgmq.PgmqClient;
import io.celerypgmq.bridge.pgmq.QueueMetrics;
import io.celerypgmq.bridge.pgmq.QueueName;
import io.celerypgmq.bridge.pump.CeleryHeaders;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * The pgmq side: per queue its length, oldest message age, archive and DLQ ({@code <queue>_dlq}); per task type how
 * many were archived (done) and dead-lettered, told apart by the {@code x-celery-task} header the bridge writes (or
 * the {@code task} field of a seed-style DLQ message).
 */
final class PgmqBacklog {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What one read found. */
    record View(ObjectNode queues, Map<String, Long> archivedByTask, Map<String, Long> dlqByTask) {}

    private final DataSource db;
    private final String dlqSuffix;

    PgmqBacklog(DataSource db, String dlqSuffix) {
        this.db = db;
        this.dlqSuffix = dlqSuffix;
    }

    View read() throws SQLException {
        ObjectNode out = JSON.createObjectNode();
        Map<String, Long> archived = new TreeMap<>();
        Map<String, Long> dead = new TreeMap<>();
        try (Connection c = db.getConnection()) {
            if (!exists(c, "pgmq.meta")) {
                out.put("installed", false);
                out.putArray("queues");
                return new View(out, archived, dead);
            }
            out.put("installed", true);
            Map<String, QueueMetrics> metrics = new LinkedHashMap<>();
            new PgmqClient(db).metricsAll().forEach(m -> metrics.put(m.queueName(), m));
            ArrayNode rows = out.putArray("queues");
            for (QueueMetrics m : metrics.values()) {
                String name = m.queueName();
                boolean isDlq = name.endsWith(dlqSuffix) && metrics.containsKey(stripSuffix(name));
                if (isDlq) {
                    count(c, name, "q_", "coalesce(headers ->> ?, message ->> 'task')", dead);
                    continue;
                }
                ObjectNode row = rows.addObject();
                row.put("queue", name);
                row.put("length", m.queueLength());
                if (m.queueVisibleLength() == null) {
                    row.putNull("visible");
                } else {
                    row.put("visible", m.queueVisibleLength());
                }
                if (m.oldestMsgAgeSec() == null) {
                    row.putNull("oldest_age_sec");
                } else {
                    row.put("oldest_age_sec", m.oldestMsgAgeSec());
                }
                row.put("total_sent", m.totalMessages());
                Map<String, Long> byTask = new HashMap<>();
                row.put("archived", count(c, name, "a_", "headers ->> ?", byTask));
                byTask.forEach((task, n) -> archived.merge(task, n, Long::sum));
                QueueMetrics dlq = metrics.get(name + dlqSuffix);
                if (dlq == null) {
                    row.putNull("dlq");
                } else {
                    row.put("dlq", dlq.queueLength());
                }
            }
        }
        return new View(out, archived, dead);
    }

    private String stripSuffix(String name) {
        return name.substring(0, name.length() - dlqSuffix.length());
    }

    /** Counts the rows of one of a queue's tables by task; returns the total. */
    private static long count(Connection c, String queue, String prefix, String taskExpr, Map<String, Long> byTask)
            throws SQLException {
        String table;
        try {
            QueueName name = QueueName.of(queue);
            table = prefix.equals("a_") ? name.archiveTable() : name.queueTable();
        } catch (InvalidQueueNameException e) {
            return 0; // pgmq itself could not have made it; nothing of ours to count
        }
        String sql = "SELECT " + taskExpr + " AS task, count(*) FROM pgmq.\"" + table.replace("\"", "\"\"")
                + "\" GROUP BY 1";
        long total = 0;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, CeleryHeaders.TASK);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String task = rs.getString(1) == null ? "(no task header)" : rs.getString(1);
                    long n = rs.getLong(2);
                    byTask.merge(task, n, Long::sum);
                    total += n;
                }
            }
        }
        return total;
    }

    static boolean exists(Connection c, String relation) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, relation);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }
}
