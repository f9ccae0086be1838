package io.celerypgmq.bridge.status;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;

/**
 * Messages per second into each side, per task type, from the bridge's per-minute flow counters: what it sent to
 * Celery's lists (forward or reversed) and what it sent to pgmq (routed or as shadow copies), over the minute before
 * now and the minute under way.
 */
final class FlowRates {
    /** Rates of one task type, in messages per second. */
    record Rate(double toCelery, double toPgmq) {
        static final Rate NONE = new Rate(0, 0);
    }

    private FlowRates() {}

    static Map<String, Rate> read(Connection c, Instant now) throws SQLException {
        Map<String, Rate> out = new TreeMap<>();
        if (!exists(c)) {
            return out;
        }
        Instant from = now.minus(Duration.ofMinutes(1)).truncatedTo(ChronoUnit.MINUTES);
        double seconds = Math.max(1, Duration.between(from, now).toMillis() / 1000.0);
        try (PreparedStatement ps = c.prepareStatement("SELECT task_name,"
                + " coalesce(sum(count) FILTER (WHERE direction IN ('to_celery', 'reversed')), 0),"
                + " coalesce(sum(count) FILTER (WHERE direction IN ('to_pgmq', 'to_shadow')), 0)"
                + " FROM celery_pgmq.flow WHERE minute >= ? GROUP BY 1")) {
            ps.setObject(1, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), new Rate(rs.getLong(2) / seconds, rs.getLong(3) / seconds));
                }
            }
        }
        return out;
    }

    private static boolean exists(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass('celery_pgmq.flow') IS NOT NULL");
                ResultSet rs = ps.executeQuery()) {
            return rs.next() && rs.getBoolean(1);
        }
    }
}
