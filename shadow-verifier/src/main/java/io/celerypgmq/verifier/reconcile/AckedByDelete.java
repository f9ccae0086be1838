package io.celerypgmq.verifier.reconcile;

import io.celerypgmq.bridge.pgmq.InvalidQueueNameException;
import io.celerypgmq.bridge.pgmq.QueueName;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Entries their consumer deleted from a queue that has no DLQ. A Celery worker on {@code pgmq://} acks a task that
 * ran and rejects one that could not run both by {@code pgmq.delete}, and keeps no DLQ, so for these the delete says
 * nothing about success: only Celery's results can. Where a queue has a DLQ, its consumer dead-letters what failed
 * and a delete means done.
 */
public final class AckedByDelete {
    private AckedByDelete() {}

    /** Task name → the Celery task ids of its deleted entries in queues without a DLQ (classified workset). */
    public static Map<String, List<String>> taskIds(LedgerWorkset ws, DlqConvention dlq) throws SQLException {
        List<QueueName> dlqs = new ArrayList<>();
        Map<String, Optional<QueueName>> dlqOf = new TreeMap<>();
        for (String raw : ws.queues()) {
            Optional<QueueName> d;
            try {
                d = dlq.dlqOf(QueueName.of(raw).value());
            } catch (InvalidQueueNameException e) {
                d = Optional.empty();
            }
            dlqOf.put(raw, d);
            d.ifPresent(dlqs::add);
        }
        QueueTables tables = QueueTables.load(ws.connection(), dlqs);
        List<String> withoutDlq = new ArrayList<>();
        dlqOf.forEach((queue, d) -> {
            if (d.isEmpty()
                    || (tables.queue(d.get()).isEmpty()
                            && tables.archive(d.get()).isEmpty())) {
                withoutDlq.add(queue);
            }
        });
        Map<String, List<String>> out = new TreeMap<>();
        if (withoutDlq.isEmpty()) {
            return out;
        }
        String sql = "SELECT task_name, task_id FROM " + LedgerWorkset.TABLE
                + " WHERE status = 'DELETED' AND pgmq_queue = ANY (?) ORDER BY 1, 2";
        try (PreparedStatement ps = ws.connection().prepareStatement(sql)) {
            ps.setArray(1, ws.connection().createArrayOf("text", withoutDlq.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
                }
            }
        }
        return out;
    }
}
