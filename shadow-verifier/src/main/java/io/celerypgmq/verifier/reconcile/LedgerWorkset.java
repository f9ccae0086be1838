package io.celerypgmq.verifier.reconcile;

import io.celerypgmq.verifier.SqlTime;
import io.celerypgmq.verifier.TaskGlob;
import io.celerypgmq.verifier.Window;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The ledger entries of one report, copied into a temporary table on the caller's connection so that every later
 * step (classification, counts, waits, timelines) is one set-based statement over it. The caller runs everything in
 * one REPEATABLE READ transaction: a message moving from queue to archive meanwhile is seen in exactly one place.
 */
public final class LedgerWorkset {
    static final String TABLE = "verify_entries";

    private static final String CREATE = "CREATE TEMP TABLE " + TABLE + " ("
            + " identity text NOT NULL, task_id text NOT NULL, task_name text NOT NULL, route text NOT NULL,"
            + " pgmq_queue text NOT NULL, pgmq_msg_id bigint, eta timestamptz, bridged_at timestamptz NOT NULL,"
            + " status text, enqueued_at timestamptz, read_ct integer, read_at timestamptz, completed_at timestamptz,"
            + " in_flight boolean NOT NULL DEFAULT false, detail text) WITH (fillfactor = 50) ON COMMIT DROP";
    private static final String FILL = "INSERT INTO " + TABLE
            + " (identity, task_id, task_name, route, pgmq_queue, pgmq_msg_id, eta, bridged_at, status)"
            + " SELECT identity, task_id, task_name, route, pgmq_queue, pgmq_msg_id, eta, bridged_at,"
            + " CASE WHEN outcome = 'expired' THEN 'EXPIRED' END FROM celery_pgmq.ledger"
            + " WHERE bridged_at >= coalesce(?::timestamptz, '-infinity'::timestamptz) AND bridged_at < ?::timestamptz"
            + " AND (?::text IS NULL OR task_name LIKE ? ESCAPE '\\')";

    private final Connection connection;
    private final Instant now;
    private final long size;

    private LedgerWorkset(Connection connection, Instant now, long size) {
        this.connection = connection;
        this.now = now;
        this.size = size;
    }

    /**
     * Copies the entries of {@code window} (and {@code task}, when given) into the workset.
     *
     * @param now the report's clock reading: what "in flight" and "waiting so far" are measured against
     */
    public static LedgerWorkset load(Connection c, Window window, TaskGlob task, Instant now) throws SQLException {
        try (Statement s = c.createStatement()) {
            // Each classification pass rewrites rows: keep the table in memory (takes effect only before a session's
            // first temporary table; later it is ignored, never an error) and leave room for in-page updates.
            s.execute("SET LOCAL temp_buffers = '128MB'");
            s.execute(CREATE);
        }
        long size;
        try (PreparedStatement ps = c.prepareStatement(FILL)) {
            SqlTime.set(ps, 1, window.since());
            SqlTime.set(ps, 2, window.until());
            ps.setString(3, task == null ? null : task.like());
            ps.setString(4, task == null ? null : task.like());
            size = ps.executeUpdate();
        }
        try (Statement s = c.createStatement()) {
            // Autovacuum never analyzes temporary tables; without statistics the joins below plan as nested loops.
            // No indexes: every pass is a hash join over whole tables, and index upkeep would double each update.
            s.execute("ANALYZE " + TABLE);
        }
        return new LedgerWorkset(c, now, size);
    }

    public long size() {
        return size;
    }

    public Instant now() {
        return now;
    }

    Connection connection() {
        return connection;
    }

    /** The distinct pgmq queues the entries were sent to. */
    public List<String> queues() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT DISTINCT pgmq_queue FROM " + TABLE + " ORDER BY 1")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** Runs one parameterised statement over the workset; returns the rows it changed. */
    int update(String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            bind(ps, params);
            return ps.executeUpdate();
        }
    }

    static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            if (params[i] instanceof Instant t) {
                SqlTime.set(ps, i + 1, t);
            } else {
                ps.setObject(i + 1, params[i]);
            }
        }
    }
}
