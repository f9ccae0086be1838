package io.celerypgmq.verifier.reconcile;

import java.sql.SQLException;

/**
 * Computes each entry's queue wait: from when the message became visible — {@code max(enqueued_at, eta)}, so an ETA
 * delay is never counted — to its first read. pgmq keeps only the last read time ({@code last_read_at}, pgmq 1.10+),
 * so the first read is known for messages read at most once: {@code last_read_at}, or the moment it was archived,
 * deleted or popped when never read or when the table has no {@code last_read_at}. Messages read more than once are
 * left out (their last read includes earlier attempts). A visible message nobody has read yet counts with the time it
 * has waited so far, so a stopped consumer shows up in the percentiles instead of vanishing from them.
 */
final class QueueWaits {
    private static final String V = LedgerWorkset.TABLE;

    private QueueWaits() {}

    static void compute(LedgerWorkset ws) throws SQLException {
        ws.update("UPDATE " + V + " SET visible_at = greatest(enqueued_at, coalesce(eta, enqueued_at))"
                + " WHERE enqueued_at IS NOT NULL");
        ws.update(
                "UPDATE " + V + " SET still_waiting = (status = 'PENDING' AND read_ct = 0),"
                        + " wait_ms = 1000 * extract(epoch FROM (CASE"
                        + " WHEN status IN ('ARCHIVED', 'DELETED', 'DEAD_LETTERED') AND read_ct <= 1"
                        + " THEN coalesce(read_at, completed_at)"
                        + " WHEN status = 'PENDING' AND read_ct = 0 THEN ?::timestamptz"
                        + " WHEN status = 'PENDING' AND read_ct = 1 THEN read_at"
                        + " END - visible_at))"
                        + " WHERE visible_at IS NOT NULL AND NOT (status = 'PENDING' AND read_ct = 0 AND visible_at > ?)",
                ws.now(),
                ws.now());
        // Clock skew between hosts can put a read a hair before the enqueue; a wait is never negative.
        ws.update("UPDATE " + V + " SET wait_ms = 0 WHERE wait_ms < 0");
    }
}
