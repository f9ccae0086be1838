package io.celerypgmq.verifier.reconcile;

import io.celerypgmq.bridge.pgmq.InvalidQueueNameException;
import io.celerypgmq.bridge.pgmq.QueueName;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Gives every workset entry its {@link EntryStatus} with one set-based UPDATE per place and queue, in precedence
 * order (each statement only touches entries still unclassified): DLQ, archive, queue, completion log, quarantine;
 * an entry found nowhere is unknown when it was sent before its queue's deletes were logged, else missing. Matching is by msg id with the identity header agreeing, then by identity header alone (a queue
 * dropped and re-created reuses msg ids; the identity does not repeat).
 */
public final class Classifier {
    private static final String V = LedgerWorkset.TABLE;

    private final DlqConvention dlq;

    public Classifier(DlqConvention dlq) {
        this.dlq = dlq;
    }

    /** Classifies and computes queue waits; returns what it could not look at, for the report's caveats. */
    public List<String> classify(LedgerWorkset ws, boolean completionLog, boolean quarantine) throws SQLException {
        List<String> caveats = new ArrayList<>();
        Map<String, QueueName> queues = new LinkedHashMap<>();
        for (String raw : ws.queues()) {
            try {
                queues.put(raw, QueueName.of(raw));
            } catch (InvalidQueueNameException e) {
                caveats.add(
                        "ledger names queue '" + raw + "', which is not a valid pgmq queue name: " + e.getMessage());
            }
        }
        List<QueueName> all = new ArrayList<>(queues.values());
        queues.values().forEach(q -> dlq.dlqOf(q.value()).ifPresent(all::add));
        QueueTables tables = QueueTables.load(ws.connection(), all);
        for (Map.Entry<String, QueueName> e : queues.entrySet()) {
            QueueName q = e.getValue();
            deadLettered(ws, tables, e.getKey(), q);
            Optional<String> archive = tables.archive(q);
            Optional<String> queue = tables.queue(q);
            if (archive.isPresent()) {
                located(ws, "ARCHIVED", archive.get(), tables.archiveHasLastReadAt(q), e.getKey(), false);
            }
            if (queue.isPresent()) {
                located(ws, "PENDING", queue.get(), tables.queueHasLastReadAt(q), e.getKey(), true);
            }
            if (archive.isEmpty() && queue.isEmpty()) {
                caveats.add("queue " + q + " has no tables pgmq.q_" + q + " / pgmq.a_" + q
                        + " (dropped?): its entries can only be found in its DLQ or the completion log");
            }
        }
        if (completionLog) {
            deleted(ws);
        }
        if (quarantine) {
            ws.update("UPDATE " + V + " v SET status = 'QUARANTINED', detail = qu.reason"
                    + " FROM celery_pgmq.quarantine qu WHERE v.status IS NULL AND qu.fingerprint = v.identity");
        }
        if (completionLog) {
            // Sent before the log started: a delete then left no trace, so not finding it proves no loss.
            ws.update("UPDATE " + V + " v SET status = 'UNKNOWN', detail = 'sent before deletes were logged on '"
                    + " || t.queue_name || ' (since ' || t.since || ')' FROM celery_pgmq.completion_tracking t"
                    + " WHERE v.status IS NULL AND t.queue_name = v.pgmq_queue AND v.bridged_at < t.since");
        }
        ws.update("UPDATE " + V + " SET status = 'MISSING' WHERE status IS NULL");
        QueueWaits.define(ws);
        return caveats;
    }

    private void deadLettered(LedgerWorkset ws, QueueTables tables, String raw, QueueName q) throws SQLException {
        Optional<QueueName> d = dlq.dlqOf(q.value());
        if (d.isEmpty()) {
            return;
        }
        List<String> places = new ArrayList<>();
        tables.queue(d.get()).ifPresent(places::add);
        tables.archive(d.get()).ifPresent(places::add);
        String src = "coalesce(d.headers ->> ?, d.message ->> ?)";
        for (String table : places) {
            String set = "UPDATE " + V + " v SET status = 'DEAD_LETTERED', completed_at = d.enqueued_at,"
                    + " detail = left(" + src + ", 500) FROM " + table + " d"
                    + " WHERE v.status IS NULL AND v.pgmq_queue = ? AND ";
            ws.update(
                    set + "v.pgmq_msg_id IS NOT NULL AND " + src + " = v.pgmq_msg_id::text" + " AND (lower(" + src
                            + ") = v.pgmq_queue OR (? AND " + src + " IS NULL))"
                            + " AND coalesce(d.headers ->> ?, v.identity) = v.identity",
                    dlq.errorKey(),
                    dlq.errorKey(),
                    raw,
                    dlq.sourceMsgIdKey(),
                    dlq.sourceMsgIdKey(),
                    dlq.sourceQueueKey(),
                    dlq.sourceQueueKey(),
                    dlq.sharedQueue() == null,
                    dlq.sourceQueueKey(),
                    dlq.sourceQueueKey(),
                    dlq.identityKey());
            ws.update(set + "d.headers ->> ? = v.identity", dlq.errorKey(), dlq.errorKey(), raw, dlq.identityKey());
        }
    }

    /** ARCHIVED from {@code a_<queue>} or PENDING from {@code q_<queue>}. */
    private void located(LedgerWorkset ws, String status, String table, boolean lastReadAt, String raw, boolean queue)
            throws SQLException {
        String readAt = lastReadAt ? "t.last_read_at" : "NULL::timestamptz";
        String set = "UPDATE " + V + " v SET status = '" + status + "', enqueued_at = t.enqueued_at,"
                + " read_ct = t.read_ct, read_at = " + readAt + ", "
                + (queue ? "in_flight = t.vt > ?" : "completed_at = t.archived_at")
                + " FROM " + table + " t WHERE v.status IS NULL AND v.pgmq_queue = ? AND ";
        String byId = set + "t.msg_id = v.pgmq_msg_id AND coalesce(t.headers ->> ?, v.identity) = v.identity";
        String byIdentity = set + "t.headers ->> ? = v.identity";
        if (queue) {
            ws.update(byId, ws.now(), raw, dlq.identityKey());
            ws.update(byIdentity, ws.now(), raw, dlq.identityKey());
        } else {
            ws.update(byId, raw, dlq.identityKey());
            ws.update(byIdentity, raw, dlq.identityKey());
        }
    }

    private static void deleted(LedgerWorkset ws) throws SQLException {
        String match = " FROM celery_pgmq.completions c WHERE c.queue_name = v.pgmq_queue"
                + " AND c.msg_id = v.pgmq_msg_id AND coalesce(c.identity, v.identity) = v.identity";
        ws.update("UPDATE " + V + " v SET status = 'DELETED', completed_at = c.deleted_at, enqueued_at = c.enqueued_at,"
                + " read_ct = c.read_ct, read_at = c.last_read_at, detail = c.kind" + match + " AND v.status IS NULL");
        // A dead-lettered message's original was deleted: the log kept when it was read.
        ws.update("UPDATE " + V + " v SET enqueued_at = c.enqueued_at, read_ct = c.read_ct, read_at = c.last_read_at"
                + match + " AND v.status = 'DEAD_LETTERED' AND v.enqueued_at IS NULL");
    }
}
