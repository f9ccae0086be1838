package io.celerypgmq.verifier.uptime;

import io.celerypgmq.verifier.SqlTime;
import io.celerypgmq.verifier.VerifierSchema;
import io.celerypgmq.verifier.Window;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/** Reads uptime and backlog history from the watch samples of a window. */
public final class Uptime {
    private static final String UPTIME = "SELECT queue_name, count(*),"
            + " count(*) FILTER (WHERE oldest_visible_age_sec IS NULL OR oldest_visible_age_sec < ?),"
            + " min(sampled_at), max(sampled_at), max(oldest_visible_age_sec) FROM celery_pgmq.samples"
            + " WHERE queue_name = ANY (?) AND sampled_at >= coalesce(?::timestamptz, '-infinity'::timestamptz)"
            + " AND sampled_at < ?::timestamptz GROUP BY queue_name";
    private static final String BACKLOG = "SELECT b, sum(len) FROM (SELECT queue_name,"
            + " floor(extract(epoch FROM sampled_at - ?::timestamptz) / ?)::int AS b, avg(queue_length) AS len"
            + " FROM celery_pgmq.samples WHERE queue_name = ANY (?) AND sampled_at >= ?::timestamptz"
            + " AND sampled_at < ?::timestamptz GROUP BY 1, 2) x GROUP BY b";

    private Uptime() {}

    /** Uptime per queue; queues without samples are absent. */
    public static Map<String, UptimeStats> perQueue(
            Connection c, Collection<String> queues, Window window, Duration stall) throws SQLException {
        Map<String, UptimeStats> out = new HashMap<>();
        if (queues.isEmpty() || !VerifierSchema.hasTable(c, "samples")) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement(UPTIME)) {
            ps.setDouble(1, stall.toMillis() / 1000.0);
            ps.setArray(2, c.createArrayOf("text", queues.toArray()));
            SqlTime.set(ps, 3, window.since());
            SqlTime.set(ps, 4, window.until());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    double worst = rs.getDouble(6);
                    out.put(
                            rs.getString(1),
                            new UptimeStats(
                                    rs.getLong(2),
                                    rs.getLong(3),
                                    stall,
                                    SqlTime.get(rs, 4),
                                    SqlTime.get(rs, 5),
                                    rs.wasNull() ? null : worst));
                }
            }
        }
        return out;
    }

    /** The worst uptime among {@code queues}: how a task type spread over several queues is judged. */
    public static UptimeStats worst(Map<String, UptimeStats> perQueue, Collection<String> queues, Duration stall) {
        UptimeStats worst = UptimeStats.none(stall);
        for (String q : queues) {
            UptimeStats s = perQueue.get(q);
            if (s != null) {
                worst = worst.worse(s);
            }
        }
        return worst;
    }

    /** Sampled backlog (messages in the queues, summed) per time bucket; {@code null} when there are no samples. */
    public static long[] backlog(
            Connection c, Collection<String> queues, Instant start, Duration step, int buckets, Instant until)
            throws SQLException {
        if (queues.isEmpty() || !VerifierSchema.hasTable(c, "samples")) {
            return null;
        }
        long[] out = new long[buckets];
        boolean any = false;
        try (PreparedStatement ps = c.prepareStatement(BACKLOG)) {
            SqlTime.set(ps, 1, start);
            ps.setDouble(2, step.toMillis() / 1000.0);
            ps.setArray(3, c.createArrayOf("text", queues.toArray()));
            SqlTime.set(ps, 4, start);
            SqlTime.set(ps, 5, until);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int b = rs.getInt(1);
                    if (b >= 0 && b < buckets) {
                        out[b] = Math.round(rs.getDouble(2));
                        any = true;
                    }
                }
            }
        }
        return any ? out : null;
    }
}
