package io.celerypgmq.bridge.dashboard;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
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

    /** Ledger rows bridged longer ago than this are counted once and kept (see {@link #ledgerCounts}). */
    static final Duration SETTLE = Duration.ofMinutes(2);

    private static final String LEDGER_COUNT = "SELECT task_name, outcome, count(*) FROM celery_pgmq.ledger";

    private final DataSource db;
    private final Map<String, Map<String, Long>> settled = new TreeMap<>();
    private Timestamp settledUntil; // null until the first read

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
            ledger = ledgerCounts(c);
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

    /**
     * Ledger rows by task and outcome. Counting the whole ledger each time would scan it every refresh (a dashboard
     * polls every two seconds; a row holds about one Celery message), so rows bridged more than {@link #SETTLE}
     * before the database's clock are counted once, through the {@code bridged_at} index, and kept; only the rows
     * after that are counted again on each read. A transaction commits well within {@link #SETTLE}, so no row lands
     * behind the mark; a ledger row deleted by hand stays in the count until the bridge restarts.
     */
    private synchronized Map<String, Map<String, Long>> ledgerCounts(Connection c) throws SQLException {
        Timestamp horizon;
        try (PreparedStatement ps = c.prepareStatement("SELECT now() - make_interval(secs => ?)")) {
            ps.setLong(1, SETTLE.toSeconds());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                horizon = rs.getTimestamp(1);
            }
        }
        if (settledUntil == null || horizon.after(settledUntil)) {
            try (PreparedStatement ps = c.prepareStatement(LEDGER_COUNT
                    + " WHERE bridged_at >= coalesce(?, '-infinity'::timestamptz) AND bridged_at < ? GROUP BY 1, 2")) {
                ps.setTimestamp(1, settledUntil);
                ps.setTimestamp(2, horizon);
                collect(ps, settled);
            }
            settledUntil = horizon;
        }
        Map<String, Map<String, Long>> out = new TreeMap<>();
        settled.forEach((task, byOutcome) -> out.put(task, new TreeMap<>(byOutcome)));
        try (PreparedStatement ps = c.prepareStatement(LEDGER_COUNT + " WHERE bridged_at >= ? GROUP BY 1, 2")) {
            ps.setTimestamp(1, settledUntil);
            collect(ps, out);
        }
        return out;
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
