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
    /** One row per entry with a known or lower-bound wait (or none): task_name, status, read_ct, wait_ms, still_waiting. */
    static final String VIEW = "verify_waits";

    private QueueWaits() {}

    /** Defines the view over the workset; computed when read, so no pass rewrites every row. */
    static void define(LedgerWorkset ws) throws SQLException {
        String now = "timestamptz '" + ws.now() + "'";
        String waited = "CASE WHEN status IN ('ARCHIVED', 'DELETED', 'DEAD_LETTERED') AND read_ct <= 1"
                + " THEN coalesce(read_at, completed_at)"
                + " WHEN status = 'PENDING' AND read_ct = 0 THEN " + now
                + " WHEN status = 'PENDING' AND read_ct = 1 THEN read_at END - visible_at";
        ws.update("CREATE TEMP VIEW " + VIEW + " AS SELECT task_name, status, read_ct, still_waiting,"
                // Clock skew between hosts can put a read a hair before the enqueue; a wait is never negative.
                + " CASE WHEN raw_ms < 0 THEN 0 ELSE raw_ms END AS wait_ms FROM (SELECT task_name, status, read_ct,"
                + " (status = 'PENDING' AND read_ct = 0) AS still_waiting, 1000 * extract(epoch FROM (" + waited
                + ")) AS raw_ms FROM (SELECT *, greatest(enqueued_at, coalesce(eta, enqueued_at)) AS visible_at"
                + " FROM " + LedgerWorkset.TABLE + ") e WHERE NOT (status = 'PENDING' AND read_ct = 0 AND visible_at > "
                + now + ")) w");
    }
}
