package io.celerypgmq.bridge.ledger;

import io.celerypgmq.bridge.store.SqlArrays;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes ledger rows inside the caller's transaction, each row once. A message is sent and its row inserted, msg_id
 * included, in one statement ({@link #sendAndInsert}); the row's primary key is what keeps a message from being sent
 * twice: a batch redone after a crash, or raced by a second instance, hits {@code unique_violation}
 * ({@link #isDuplicate}), which rolls its send back with it. The caller then asks which identities the ledger has
 * ({@link #existing}) and sends only the others.
 */
public final class Ledger {
    private static final String COLUMNS =
            "identity, task_id, task_name, source_key, route, pgmq_queue, eta, outcome, envelope, digest, instance";
    private static final String VALUES = "e.identity, e.task_id, e.task_name, e.source_key, e.route, e.pgmq_queue,"
            + " e.eta::timestamptz, e.outcome, e.envelope, e.digest, ?";
    private static final String INPUT = " FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],"
            + " ?::text[], ?::text[], ?::bytea[], ?::bigint[]) WITH ORDINALITY"
            + " AS e(identity, task_id, task_name, source_key, route, pgmq_queue, eta, outcome, envelope, digest, ord)";

    private static final String INSERT_ONLY =
            "INSERT INTO celery_pgmq.ledger (" + COLUMNS + ") SELECT " + VALUES + INPUT;
    private static final String INSERT = INSERT_ONLY + " ON CONFLICT (identity) DO NOTHING RETURNING identity";

    private static final String EXISTING = "SELECT identity FROM celery_pgmq.ledger WHERE identity = ANY(?::text[])";

    private static final String RECORDS = "SELECT identity, task_id, task_name, route, outcome, digest, pgmq_queue,"
            + " pgmq_msg_id FROM celery_pgmq.ledger WHERE identity = ANY(?::text[])";

    /**
     * {@code pgmq.send_batch} and the ledger rows in one statement: the msg_ids come back in array order, so
     * ordinality pairs each with its entry. The second slot takes the flow counters' upsert when they ride along.
     */
    private static final String SEND_AND_INSERT = "WITH sent AS (SELECT s.msg_id, s.ord FROM pgmq.send_batch(%s)"
            + " WITH ORDINALITY AS s(msg_id, ord))%s"
            + " INSERT INTO celery_pgmq.ledger (" + COLUMNS + ", pgmq_msg_id)"
            + " SELECT " + VALUES + ", sent.msg_id" + INPUT + " JOIN sent ON sent.ord = e.ord";

    private static final String NOW = "?::text, " + SqlArrays.JSONB + ", " + SqlArrays.JSONB;
    private static final String AT = NOW + ", ?::timestamptz";
    private static final String WITH_FLOW = ", " + FlowCounters.WITH_ITEM;

    private static final String SEND_NOW = String.format(SEND_AND_INSERT, NOW, "");
    private static final String SEND_AT = String.format(SEND_AND_INSERT, AT, "");
    private static final String SEND_NOW_FLOW = String.format(SEND_AND_INSERT, NOW, WITH_FLOW);
    private static final String SEND_AT_FLOW = String.format(SEND_AND_INSERT, AT, WITH_FLOW);

    private static final String UNIQUE_VIOLATION = "23505";

    private Ledger() {}

    /**
     * Sends {@code messages} (with their headers) to {@code queue} and inserts each entry's ledger row with its msg_id
     * and its original envelope; writes {@code flow}'s counts under {@code now}, as {@code instance}'s, in the same
     * statement: one round trip per batch.
     *
     * @param envelopes per entry, the envelope copy for a byte-exact rollback or {@code null}; {@code null} for none
     * @param visibleAt absolute delay, or {@code null} for visible at commit
     * @param flow counts to write along, or {@code null} (or empty) for none
     * @throws SQLException with {@link #isDuplicate} true when an entry's identity is in the ledger already; the
     *     transaction must then be rolled back
     */
    public static void sendAndInsert(
            Connection c,
            String queue,
            List<LedgerEntry> entries,
            List<String> messages,
            List<String> headers,
            List<byte[]> envelopes,
            Instant visibleAt,
            String instance,
            FlowCounters flow,
            Instant now)
            throws SQLException {
        if (entries.isEmpty()) {
            return;
        }
        if (entries.size() != messages.size()
                || messages.size() != headers.size()
                || (envelopes != null && envelopes.size() != entries.size())) {
            throw new IllegalArgumentException("entries, messages, headers and envelopes must have the same length");
        }
        boolean withFlow = flow != null && !flow.isEmpty();
        String sql = visibleAt == null ? (withFlow ? SEND_NOW_FLOW : SEND_NOW) : (withFlow ? SEND_AT_FLOW : SEND_AT);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setString(i++, queue);
            SqlArrays.text(ps, i++, messages);
            SqlArrays.text(ps, i++, headers);
            if (visibleAt != null) {
                ps.setObject(i++, OffsetDateTime.ofInstant(visibleAt, ZoneOffset.UTC));
            }
            if (withFlow) {
                i = flow.bind(ps, i, now, instance);
            }
            ps.setString(i++, instance);
            bindEntries(ps, i, entries, envelopes);
            int recorded = ps.executeUpdate();
            if (recorded != entries.size()) {
                throw new IllegalStateException("sent " + entries.size() + " messages to " + queue + " but recorded "
                        + recorded + " ledger rows");
            }
        }
    }

    /** Whether {@code e} says a ledger row existed already (the batch, or part of it, was handed off before). */
    public static boolean isDuplicate(SQLException e) {
        for (SQLException s = e; s != null; s = s.getNextException()) {
            if (UNIQUE_VIOLATION.equals(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /** Which of {@code identities} the ledger has (committed, or written earlier in this transaction). */
    public static Set<String> existing(Connection c, Collection<String> identities) throws SQLException {
        Set<String> found = new HashSet<>();
        if (identities.isEmpty()) {
            return found;
        }
        try (PreparedStatement ps = c.prepareStatement(EXISTING)) {
            SqlArrays.text(ps, 1, identities.toArray(String[]::new));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(rs.getString(1));
                }
            }
        }
        return found;
    }

    /**
     * What the ledger recorded for those of {@code identities} it has (committed, or written earlier in this
     * transaction), by identity: the decision a redo must follow and the content it was made for.
     */
    public static Map<String, LedgerRecord> records(Connection c, Collection<String> identities) throws SQLException {
        Map<String, LedgerRecord> found = new HashMap<>();
        if (identities.isEmpty()) {
            return found;
        }
        try (PreparedStatement ps = c.prepareStatement(RECORDS)) {
            SqlArrays.text(ps, 1, identities.toArray(String[]::new));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long digest = rs.getLong(6);
                    Long digestOrNull = rs.wasNull() ? null : digest;
                    long msgId = rs.getLong(8);
                    Long msgIdOrNull = rs.wasNull() ? null : msgId;
                    found.put(
                            rs.getString(1),
                            new LedgerRecord(
                                    rs.getString(1),
                                    rs.getString(2),
                                    rs.getString(3),
                                    rs.getString(4),
                                    "expired".equals(rs.getString(5)),
                                    digestOrNull,
                                    rs.getString(7),
                                    msgIdOrNull));
                }
            }
        }
        return found;
    }

    /**
     * Inserts rows without sending anything (messages recorded as expired instead of sent); returns the identities
     * that were not in the ledger yet.
     */
    public static Set<String> insertNew(Connection c, List<LedgerEntry> entries, String instance) throws SQLException {
        Set<String> fresh = new HashSet<>();
        if (entries.isEmpty()) {
            return fresh;
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setString(1, instance);
            bindEntries(ps, 2, entries, null);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    fresh.add(rs.getString(1));
                }
            }
        }
        return fresh;
    }

    /**
     * Inserts rows without sending anything (messages recorded as expired instead of sent); an identity the ledger has
     * fails the statement like a send would ({@link #isDuplicate}), so the caller decides again with what was recorded.
     */
    public static void insertStrictly(Connection c, List<LedgerEntry> entries, String instance) throws SQLException {
        if (entries.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT_ONLY)) {
            ps.setString(1, instance);
            bindEntries(ps, 2, entries, null);
            ps.executeUpdate();
        }
    }

    private static void bindEntries(PreparedStatement ps, int first, List<LedgerEntry> entries, List<byte[]> envelopes)
            throws SQLException {
        int n = entries.size();
        String[] identity = new String[n];
        String[] taskId = new String[n];
        String[] taskName = new String[n];
        String[] source = new String[n];
        String[] route = new String[n];
        String[] queue = new String[n];
        String[] eta = new String[n];
        String[] outcome = new String[n];
        Long[] digest = new Long[n];
        for (int i = 0; i < n; i++) {
            LedgerEntry e = entries.get(i);
            identity[i] = e.identity();
            taskId[i] = e.taskId();
            taskName[i] = e.taskName();
            source[i] = e.sourceKey();
            route[i] = e.route();
            queue[i] = e.pgmqQueue();
            eta[i] = e.eta() == null ? null : e.eta().toString();
            outcome[i] = e.expired() ? "expired" : "sent";
            digest[i] = e.digest();
        }
        int i = first;
        SqlArrays.text(ps, i++, identity);
        SqlArrays.text(ps, i++, taskId);
        SqlArrays.text(ps, i++, taskName);
        SqlArrays.text(ps, i++, source);
        SqlArrays.text(ps, i++, route);
        SqlArrays.text(ps, i++, queue);
        SqlArrays.text(ps, i++, eta);
        SqlArrays.text(ps, i++, outcome);
        ps.setObject(i++, envelopes == null ? new byte[n][] : envelopes.toArray(byte[][]::new));
        ps.setObject(i, digest);
    }
}
