package io.celerypgmq.verifier.reconcile;

import io.celerypgmq.bridge.pgmq.QueueName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which pgmq tables exist and what columns they have: queues may have been dropped, and {@code last_read_at} only
 * exists from pgmq 1.10 on. Table names come from validated {@link QueueName}s and are quoted, never concatenated raw.
 */
final class QueueTables {
    private static final String FIND = "SELECT c.relname, bool_or(a.attname = 'last_read_at')"
            + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'pgmq'"
            + " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped"
            + " WHERE c.relname = ANY (?) AND c.relkind IN ('r', 'p') GROUP BY c.relname";

    /** Table name → whether it has {@code last_read_at}. */
    private final Map<String, Boolean> found;

    private QueueTables(Map<String, Boolean> found) {
        this.found = Map.copyOf(found);
    }

    static QueueTables load(Connection c, Collection<QueueName> queues) throws SQLException {
        String[] names = queues.stream()
                .flatMap(q -> java.util.stream.Stream.of(q.queueTable(), q.archiveTable()))
                .toArray(String[]::new);
        Map<String, Boolean> found = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(FIND)) {
            ps.setArray(1, c.createArrayOf("text", names));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.put(rs.getString(1), rs.getBoolean(2));
                }
            }
        }
        return new QueueTables(found);
    }

    /** {@code pgmq."q_<queue>"}, if that table exists. */
    Optional<String> queue(QueueName q) {
        return table(q.queueTable());
    }

    /** {@code pgmq."a_<queue>"}, if that table exists. */
    Optional<String> archive(QueueName q) {
        return table(q.archiveTable());
    }

    boolean hasLastReadAt(String table) {
        return found.getOrDefault(table, false);
    }

    boolean queueHasLastReadAt(QueueName q) {
        return hasLastReadAt(q.queueTable());
    }

    boolean archiveHasLastReadAt(QueueName q) {
        return hasLastReadAt(q.archiveTable());
    }

    private Optional<String> table(String name) {
        return found.containsKey(name) ? Optional.of(quoted(name)) : Optional.empty();
    }

    static String quoted(String table) {
        return "pgmq.\"" + table.replace("\"", "\"\"") + "\"";
    }
}
