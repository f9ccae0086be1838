package io.celerypgmq.bridge.dashboard;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * What the bridge routed, from its own tables: per task type the per-minute flow by direction (recent and all-time),
 * ledger rows by outcome (sent to pgmq, expired), and quarantine by reason.
 */
final class TaskFlow {
    /** Throughput is averaged over this many minutes, the current one included. */
    static final int WINDOW_MINUTES = 5;

    /** Counts keyed task name → kind → n. */
    record View(
            Map<String, Map<String, Long>> recent,
            Map<String, Map<String, Long>> totals,
            Map<String, Map<String, Long>> ledger,
            Map<String, Long> quarantine,
            boolean installed) {}

    private final DataSource db;

    TaskFlow(DataSource db) {
        this.db = db;
    }

    View read(Instant now) throws SQLException {
        Map<String, Map<String, Long>> recent = new TreeMap<>();
        Map<String, Map<String, Long>> totals = new TreeMap<>();
        Map<String, Map<String, Long>> ledger = new TreeMap<>();
        Map<String, Long> quarantine = new TreeMap<>();
        try (Connection c = db.getConnection()) {
            if (!PgmqBacklog.exists(c, "celery_pgmq.flow")) {
                return new View(recent, totals, ledger, quarantine, false);
            }
            Instant from = now.truncatedTo(ChronoUnit.MINUTES).minus(WINDOW_MINUTES - 1, ChronoUnit.MINUTES);
            try (PreparedStatement ps = c.prepareStatement("SELECT task_name, direction, sum(count)"
                    + " FROM celery_pgmq.flow WHERE minute >= ? GROUP BY 1, 2")) {
                ps.setTimestamp(1, Timestamp.from(from));
                collect(ps, recent);
            }
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT task_name, direction, sum(count) FROM celery_pgmq.flow GROUP BY 1, 2")) {
                collect(ps, totals);
            }
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT task_name, outcome, count(*) FROM celery_pgmq.ledger GROUP BY 1, 2")) {
                collect(ps, ledger);
            }
            try (PreparedStatement ps =
                            c.prepareStatement("SELECT reason, count(*) FROM celery_pgmq.quarantine GROUP BY 1");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    quarantine.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return new View(recent, totals, ledger, quarantine, true);
    }

    private static void collect(PreparedStatement ps, Map<String, Map<String, Long>> into) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                into.computeIfAbsent(rs.getString(1), k -> new TreeMap<>())
                        .merge(rs.getString(2), rs.getLong(3), Long::sum);
            }
        }
    }
}
