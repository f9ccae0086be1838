package io.celerypgmq.verifier;

import io.celerypgmq.verifier.report.QuarantineCount;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads the bridge's per-minute flow counters and the quarantine, for what never became a ledger entry. */
final class SideTables {
    private static final String FLOW =
            "SELECT task_name, sum(count) FROM celery_pgmq.flow WHERE direction = 'to_celery'"
                    + " AND minute >= date_trunc('minute', coalesce(?::timestamptz, '-infinity'::timestamptz))"
                    + " AND minute < ?::timestamptz AND (?::text IS NULL OR task_name LIKE ? ESCAPE '\\') GROUP BY 1";
    private static final String QUARANTINE = "SELECT reason, count(*), sum(seen_count) FROM celery_pgmq.quarantine"
            + " WHERE last_seen >= coalesce(?::timestamptz, '-infinity'::timestamptz) AND first_seen < ?::timestamptz"
            + " GROUP BY reason ORDER BY 2 DESC, 1";

    private SideTables() {}

    /** Messages the bridge handed to Celery, per task type. */
    static Map<String, Long> routedToCelery(Connection c, Window w, TaskGlob task) throws SQLException {
        Map<String, Long> out = new TreeMap<>();
        if (!VerifierSchema.hasTable(c, "flow")) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement(FLOW)) {
            SqlTime.set(ps, 1, w.since());
            SqlTime.set(ps, 2, w.until());
            ps.setString(3, task == null ? null : task.like());
            ps.setString(4, task == null ? null : task.like());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return out;
    }

    /** Quarantined messages seen in the window, by reason (they have no task type: they could not be decoded). */
    static List<QuarantineCount> quarantine(Connection c, Window w) throws SQLException {
        List<QuarantineCount> out = new ArrayList<>();
        if (!VerifierSchema.hasTable(c, "quarantine")) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement(QUARANTINE)) {
            SqlTime.set(ps, 1, w.since());
            SqlTime.set(ps, 2, w.until());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new QuarantineCount(rs.getString(1), rs.getLong(2), rs.getLong(3)));
                }
            }
        }
        return out;
    }
}
