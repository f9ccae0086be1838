package io.celerypgmq.verifier.reconcile;

import io.celerypgmq.verifier.SqlTime;
import io.celerypgmq.verifier.latency.WaitHistogram;
import io.celerypgmq.verifier.latency.WaitStats;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The aggregations a report needs, each one statement over the classified workset. */
public final class WorksetQueries {
    private static final String V = LedgerWorkset.TABLE;
    /** The key of the all-tasks row in {@link #waits()}. */
    public static final String ALL_TASKS = "";

    private final LedgerWorkset ws;

    public WorksetQueries(LedgerWorkset ws) {
        this.ws = ws;
    }

    public List<CountRow> counts() throws SQLException {
        List<CountRow> out = new ArrayList<>();
        String sql = "SELECT task_name, pgmq_queue, status, count(*), count(*) FILTER (WHERE in_flight)" + " FROM " + V
                + " GROUP BY 1, 2, 3 ORDER BY 1, 2, 3";
        try (PreparedStatement ps = ws.connection().prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new CountRow(
                        rs.getString(1),
                        rs.getString(2),
                        EntryStatus.valueOf(rs.getString(3)),
                        rs.getLong(4),
                        rs.getLong(5)));
            }
        }
        return out;
    }

    /** Queue-wait statistics per task type, and for all of them under {@link #ALL_TASKS}. */
    public Map<String, WaitStats> waits() throws SQLException {
        Map<String, long[]> histograms = histograms();
        Map<String, WaitStats> out = new HashMap<>();
        String sql = "SELECT task_name, grouping(task_name), count(wait_ms),"
                + " count(*) FILTER (WHERE wait_ms IS NOT NULL AND still_waiting),"
                + " count(*) FILTER (WHERE wait_ms IS NULL AND read_ct > 1),"
                + " count(*) FILTER (WHERE wait_ms IS NULL AND coalesce(read_ct, 0) <= 1"
                + " AND (status IN ('ARCHIVED', 'DELETED', 'DEAD_LETTERED') OR (status = 'PENDING' AND read_ct = 1))),"
                + " percentile_disc(0.5) WITHIN GROUP (ORDER BY wait_ms),"
                + " percentile_disc(0.95) WITHIN GROUP (ORDER BY wait_ms),"
                + " percentile_disc(0.99) WITHIN GROUP (ORDER BY wait_ms), max(wait_ms)"
                + " FROM " + QueueWaits.VIEW + " GROUP BY GROUPING SETS ((task_name), ())";
        try (PreparedStatement ps = ws.connection().prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String key = rs.getInt(2) == 1 ? ALL_TASKS : rs.getString(1);
                long[] h = histograms.getOrDefault(key, new long[WaitHistogram.BUCKETS]);
                out.put(
                        key,
                        new WaitStats(
                                rs.getLong(3),
                                rs.getLong(4),
                                rs.getLong(5),
                                rs.getLong(6),
                                millis(rs, 7),
                                millis(rs, 8),
                                millis(rs, 9),
                                millis(rs, 10),
                                java.util.Arrays.stream(h).boxed().toList()));
            }
        }
        out.putIfAbsent(ALL_TASKS, WaitStats.NONE);
        return out;
    }

    private Map<String, long[]> histograms() throws SQLException {
        Map<String, long[]> out = new HashMap<>();
        String sql = "SELECT task_name, grouping(task_name), b, count(*) FROM (SELECT task_name, width_bucket(wait_ms, "
                + WaitHistogram.sqlBounds() + ") AS b FROM " + QueueWaits.VIEW + " WHERE wait_ms IS NOT NULL) x"
                + " GROUP BY GROUPING SETS ((task_name, b), (b))";
        try (PreparedStatement ps = ws.connection().prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String key = rs.getInt(2) == 1 ? ALL_TASKS : rs.getString(1);
                out.computeIfAbsent(key, k -> new long[WaitHistogram.BUCKETS])[rs.getInt(3)] = rs.getLong(4);
            }
        }
        return out;
    }

    /** The first {@code limit} missing entries, oldest first. */
    public List<MissingEntry> missing(int limit) throws SQLException {
        List<MissingEntry> out = new ArrayList<>();
        String sql = "SELECT identity, task_name, task_id, pgmq_queue, pgmq_msg_id, route, bridged_at FROM " + V
                + " WHERE status = 'MISSING' ORDER BY bridged_at, identity LIMIT ?";
        try (PreparedStatement ps = ws.connection().prepareStatement(sql)) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long msgId = rs.getLong(5);
                    out.add(new MissingEntry(
                            rs.getString(1),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getString(4),
                            rs.wasNull() ? null : msgId,
                            rs.getString(6),
                            SqlTime.get(rs, 7)));
                }
            }
        }
        return out;
    }

    /** Earliest and latest {@code bridged_at}, or {@code null}s for an empty workset. */
    public Instant[] bridgedRange() throws SQLException {
        try (PreparedStatement ps =
                        ws.connection().prepareStatement("SELECT min(bridged_at), max(bridged_at) FROM " + V);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return new Instant[] {SqlTime.get(rs, 1), SqlTime.get(rs, 2)};
        }
    }

    /**
     * Counts per time bucket of {@code step} from {@code start}: entries sent to pgmq by {@code bridged_at} under the
     * key {@code "ENQUEUED"}, finished entries by when they finished under their status.
     */
    public Map<String, long[]> timeline(Instant start, Duration step, int buckets) throws SQLException {
        Map<String, long[]> out = new HashMap<>();
        String bucket = "floor(extract(epoch FROM %s - ?::timestamptz) / ?)::int";
        String sql = "SELECT 'ENQUEUED', " + bucket.formatted("bridged_at") + ", count(*) FROM " + V
                + " WHERE status <> 'EXPIRED' GROUP BY 2 UNION ALL SELECT status, " + bucket.formatted("completed_at")
                + ", count(*) FROM " + V
                + " WHERE completed_at IS NOT NULL GROUP BY 1, 2";
        try (PreparedStatement ps = ws.connection().prepareStatement(sql)) {
            double seconds = step.toMillis() / 1000.0;
            LedgerWorkset.bind(ps, start, seconds, start, seconds);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int b = rs.getInt(2);
                    if (b >= 0 && b < buckets) {
                        out.computeIfAbsent(rs.getString(1), k -> new long[buckets])[b] += rs.getLong(3);
                    }
                }
            }
        }
        return out;
    }

    public List<ShadowEntry> shadowEntries() throws SQLException {
        List<ShadowEntry> out = new ArrayList<>();
        String sql = "SELECT task_name, task_id, identity, status, detail FROM " + V
                + " WHERE route = 'shadow' ORDER BY bridged_at, identity";
        try (PreparedStatement ps = ws.connection().prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new ShadowEntry(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        EntryStatus.valueOf(rs.getString(4)),
                        rs.getString(5)));
            }
        }
        return out;
    }

    /**
     * Missing entries a completion log could not have explained: their queue is not tracked, or they were bridged
     * before tracking started (a delete before then left no trace).
     */
    public long missingWithoutLog(boolean trackingTable) throws SQLException {
        String sql = trackingTable
                ? "SELECT count(*) FROM " + V + " v LEFT JOIN celery_pgmq.completion_tracking t"
                        + " ON t.queue_name = v.pgmq_queue WHERE v.status = 'MISSING'"
                        + " AND (t.since IS NULL OR v.bridged_at < t.since)"
                : "SELECT count(*) FROM " + V + " WHERE status = 'MISSING'";
        try (PreparedStatement ps = ws.connection().prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Duration millis(ResultSet rs, int column) throws SQLException {
        double ms = rs.getDouble(column);
        return rs.wasNull() ? null : Duration.ofNanos(Math.round(ms * 1_000_000));
    }
}
