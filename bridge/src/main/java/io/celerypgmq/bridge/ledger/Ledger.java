package io.celerypgmq.bridge.ledger;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes ledger rows inside the caller's transaction. Rows are inserted first, with {@code ON CONFLICT DO NOTHING}:
 * only identities that were new get sent to pgmq, so re-processing a batch after a crash (or two instances racing on
 * one batch) never sends a message twice — the second writer waits on the unique index and then inserts nothing.
 */
public final class Ledger {
    private static final String INSERT = "INSERT INTO celery_pgmq.ledger"
            + " (identity, task_id, task_name, source_key, route, pgmq_queue, eta, outcome, instance)"
            + " SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],"
            + " ?::timestamptz[], ?::text[], ?::text[])"
            + " ON CONFLICT (identity) DO NOTHING RETURNING identity";
    private static final String SET_MSG_IDS = "UPDATE celery_pgmq.ledger l SET pgmq_msg_id = u.msg_id"
            + " FROM unnest(?::text[], ?::bigint[]) AS u(identity, msg_id) WHERE l.identity = u.identity";

    /**
     * {@code pgmq.send_batch} and the ledger's msg_ids in one statement (one round trip instead of two): the ids come
     * back in array order, so ordinality pairs each with its identity.
     */
    private static final String SEND_AND_RECORD = "WITH sent AS (SELECT s.msg_id, s.ord FROM pgmq.send_batch(%s)"
            + " WITH ORDINALITY AS s(msg_id, ord)) UPDATE celery_pgmq.ledger l SET pgmq_msg_id = sent.msg_id"
            + " FROM sent JOIN unnest(?::text[]) WITH ORDINALITY AS i(identity, ord) ON i.ord = sent.ord"
            + " WHERE l.identity = i.identity";

    private static final String SEND_NOW = String.format(SEND_AND_RECORD, "?::text, ?::jsonb[], ?::jsonb[]");
    private static final String SEND_AT =
            String.format(SEND_AND_RECORD, "?::text, ?::jsonb[], ?::jsonb[], ?::timestamptz");

    private Ledger() {}

    /**
     * Sends {@code messages} (with their headers) to {@code queue} and records each msg_id on its ledger row, which
     * must have been inserted earlier in the same transaction.
     *
     * @param visibleAt absolute delay, or {@code null} for visible at commit
     * @throws IllegalStateException if not every identity had its ledger row
     */
    public static void sendAndRecord(
            Connection c,
            String queue,
            List<String> identities,
            List<String> messages,
            List<String> headers,
            java.time.Instant visibleAt)
            throws SQLException {
        if (identities.isEmpty()) {
            return;
        }
        if (identities.size() != messages.size() || messages.size() != headers.size()) {
            throw new IllegalArgumentException("identities, messages and headers must have the same length");
        }
        try (PreparedStatement ps = c.prepareStatement(visibleAt == null ? SEND_NOW : SEND_AT)) {
            int i = 1;
            ps.setString(i++, queue);
            ps.setArray(i++, c.createArrayOf("jsonb", messages.toArray()));
            ps.setArray(i++, c.createArrayOf("jsonb", headers.toArray()));
            if (visibleAt != null) {
                ps.setTimestamp(i++, Timestamp.from(visibleAt));
            }
            ps.setArray(i, text(c, identities.toArray(String[]::new)));
            int recorded = ps.executeUpdate();
            if (recorded != identities.size()) {
                throw new IllegalStateException("sent " + identities.size() + " messages to " + queue + " but recorded "
                        + recorded + " msg_ids: ledger rows missing");
            }
        }
    }

    /** Inserts the entries; returns the identities that were not in the ledger yet. */
    public static Set<String> insertNew(Connection c, List<LedgerEntry> entries, String instance) throws SQLException {
        if (entries.isEmpty()) {
            return Set.of();
        }
        int n = entries.size();
        String[] identity = new String[n];
        String[] taskId = new String[n];
        String[] taskName = new String[n];
        String[] source = new String[n];
        String[] route = new String[n];
        String[] queue = new String[n];
        Timestamp[] eta = new Timestamp[n];
        String[] outcome = new String[n];
        String[] inst = new String[n];
        for (int i = 0; i < n; i++) {
            LedgerEntry e = entries.get(i);
            identity[i] = e.identity();
            taskId[i] = e.taskId();
            taskName[i] = e.taskName();
            source[i] = e.sourceKey();
            route[i] = e.route();
            queue[i] = e.pgmqQueue();
            eta[i] = e.eta() == null ? null : Timestamp.from(e.eta());
            outcome[i] = e.expired() ? "expired" : "sent";
            inst[i] = instance;
        }
        Set<String> fresh = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setArray(1, text(c, identity));
            ps.setArray(2, text(c, taskId));
            ps.setArray(3, text(c, taskName));
            ps.setArray(4, text(c, source));
            ps.setArray(5, text(c, route));
            ps.setArray(6, text(c, queue));
            ps.setArray(7, c.createArrayOf("timestamptz", eta));
            ps.setArray(8, text(c, outcome));
            ps.setArray(9, text(c, inst));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    fresh.add(rs.getString(1));
                }
            }
        }
        return fresh;
    }

    /** Records the pgmq msg_id each identity was sent as. */
    public static void setMessageIds(Connection c, List<String> identities, List<Long> msgIds) throws SQLException {
        if (identities.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(SET_MSG_IDS)) {
            ps.setArray(1, text(c, identities.toArray(String[]::new)));
            ps.setArray(2, c.createArrayOf("bigint", msgIds.toArray(Long[]::new)));
            ps.executeUpdate();
        }
    }

    private static Array text(Connection c, String[] values) throws SQLException {
        return c.createArrayOf("text", values);
    }
}
