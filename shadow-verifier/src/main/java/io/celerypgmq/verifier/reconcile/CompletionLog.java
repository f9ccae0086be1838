package io.celerypgmq.verifier.reconcile;

import io.celerypgmq.bridge.pgmq.QueueName;
import io.celerypgmq.verifier.SqlTime;
import io.celerypgmq.verifier.VerificationException;
import io.celerypgmq.verifier.VerifierSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The completion log ({@code verify --track-deletes}): triggers on each bridged queue table record every message that
 * leaves it other than by archive (delete, pop, purge) in {@code celery_pgmq.completions}. Without it a message
 * deleted by its consumer cannot be told apart from a lost one.
 */
public final class CompletionLog {
    private static final Logger LOG = LoggerFactory.getLogger(CompletionLog.class);
    private static final String QUEUES = "SELECT pgmq_queue FROM celery_pgmq.ledger GROUP BY 1"
            + " UNION SELECT pgmq_queue FROM celery_pgmq.routes WHERE pgmq_queue IS NOT NULL";

    private CompletionLog() {}

    /** Result of {@link #track}: queues now tracked, and those that could not be (with why). */
    public record Tracking(List<String> tracked, Map<String, String> refused) {}

    /** Tracks every queue the ledger or the routes name, plus {@code extra}. Idempotent. */
    public static Tracking trackBridgedQueues(DataSource ds, Collection<String> extra, String identityKey) {
        TreeSet<String> queues = new TreeSet<>(extra);
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            if (VerifierSchema.hasTable(c, "ledger") && VerifierSchema.hasTable(c, "routes")) {
                try (ResultSet rs = s.executeQuery(QUEUES)) {
                    while (rs.next()) {
                        queues.add(rs.getString(1));
                    }
                }
            }
        } catch (SQLException e) {
            throw new VerificationException("listing the bridged queues", e);
        }
        return track(ds, queues, identityKey);
    }

    /** Installs the log and its triggers on each existing {@code q_<queue>}. */
    public static Tracking track(DataSource ds, Collection<String> queues, String identityKey) {
        VerifierSchema.install(ds);
        List<String> tracked = new ArrayList<>();
        Map<String, String> refused = new TreeMap<>();
        for (String raw : new TreeSet<>(queues)) {
            try {
                QueueName q = QueueName.of(raw);
                attach(ds, q, identityKey);
                tracked.add(q.value());
            } catch (RuntimeException | SQLException e) {
                refused.put(raw, e.getMessage());
                LOG.warn("[verify] cannot log deletes of queue {}: {}", raw, e.getMessage());
            }
        }
        LOG.info("[verify] completion log on {} queue(s): {}", tracked.size(), tracked);
        return new Tracking(List.copyOf(tracked), Map.copyOf(refused));
    }

    private static void attach(DataSource ds, QueueName q, String identityKey) throws SQLException {
        String table = QueueTables.quoted(q.queueTable());
        String key = "'" + identityKey.replace("'", "''") + "'";
        try (Connection c = ds.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                try (PreparedStatement exists = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
                    exists.setString(1, table);
                    try (ResultSet rs = exists.executeQuery()) {
                        rs.next();
                        if (!rs.getBoolean(1)) {
                            throw new SQLException("no table " + table);
                        }
                    }
                }
                // DROP + CREATE rather than CREATE OR REPLACE TRIGGER, which needs Postgres 14.
                s.execute("DROP TRIGGER IF EXISTS celery_pgmq_deletes ON " + table);
                s.execute("CREATE TRIGGER celery_pgmq_deletes AFTER DELETE ON " + table
                        + " REFERENCING OLD TABLE AS gone FOR EACH STATEMENT"
                        + " EXECUTE FUNCTION celery_pgmq.record_deletes(" + key + ")");
                s.execute("DROP TRIGGER IF EXISTS celery_pgmq_purge ON " + table);
                s.execute("CREATE TRIGGER celery_pgmq_purge BEFORE TRUNCATE ON " + table
                        + " FOR EACH STATEMENT EXECUTE FUNCTION celery_pgmq.record_purge(" + key + ")");
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO celery_pgmq.completion_tracking"
                        + " (queue_name) VALUES (?) ON CONFLICT (queue_name) DO NOTHING")) {
                    ps.setString(1, q.value());
                    ps.executeUpdate();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        }
    }

    /** Tracked queues and since when, on the caller's connection; empty when the log was never installed. */
    public static Map<String, Instant> tracked(Connection c) throws SQLException {
        Map<String, Instant> out = new TreeMap<>();
        if (!VerifierSchema.hasTable(c, "completion_tracking")) {
            return out;
        }
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT queue_name, since FROM celery_pgmq.completion_tracking")) {
            while (rs.next()) {
                out.put(rs.getString(1), SqlTime.get(rs, 2));
            }
        }
        return out;
    }
}
