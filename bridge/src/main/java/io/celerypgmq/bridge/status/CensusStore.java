package io.celerypgmq.bridge.status;

import io.celerypgmq.bridge.inspect.TaskCensus;
import io.celerypgmq.bridge.ledger.LedgerException;
import io.celerypgmq.bridge.store.SchemaScript;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The latest Redis census in Postgres ({@code celery_pgmq.redis_census}), so every bridge instance, the CLI and the
 * dashboard read one count with the time it was taken, and an instance taking the census over keeps the first
 * sightings (and so the lags) of the one before.
 */
public final class CensusStore {
    /** Its tables' script, installs serialised across instances starting at once. */
    private static final SchemaScript SCRIPT =
            new SchemaScript(CensusStore.class, "status-schema.sql", 0x6370737461747573L);

    private static final String INSERT = "INSERT INTO celery_pgmq.redis_census (queue_name, task_name, waiting,"
            + " reserved, oldest_identity, oldest_seen_at, lower_bound, capped, checked_at, checked_by)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /** A stored census and the instance (or command) that took it. */
    public record Stored(TaskCensus.Result result, String by) {}

    private final DataSource db;

    public CensusStore(DataSource db) {
        this.db = db;
    }

    public void install() {
        try {
            SCRIPT.install(db);
        } catch (SQLException e) {
            throw new LedgerException("installing the celery_pgmq.redis_census table", e);
        }
    }

    /** Replaces the stored census with {@code result}, in one transaction. */
    public void save(TaskCensus.Result result, String checkedBy) {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (Statement s = c.createStatement()) {
                    s.execute("DELETE FROM celery_pgmq.redis_census");
                }
                try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                    for (TaskCensus.Count n : result.counts()) {
                        ps.setString(1, n.queue());
                        ps.setString(2, n.task());
                        ps.setLong(3, n.waiting());
                        ps.setLong(4, n.reserved());
                        ps.setString(5, n.oldestIdentity());
                        ps.setObject(6, time(n.oldestSeenAt()));
                        ps.setBoolean(7, n.lowerBound());
                        ps.setBoolean(8, n.capped());
                        ps.setObject(9, time(result.checkedAt()));
                        ps.setString(10, checkedBy);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO celery_pgmq.redis_census_runs (id,"
                        + " checked_at, checked_by) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET"
                        + " checked_at = excluded.checked_at, checked_by = excluded.checked_by")) {
                    ps.setObject(1, time(result.checkedAt()));
                    ps.setString(2, checkedBy);
                    ps.executeUpdate();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new LedgerException("storing the Redis census", e);
        }
    }

    /** The stored census; empty when none was ever taken (or the table is not installed). */
    public Optional<Stored> latest() {
        try (Connection c = db.getConnection()) {
            Instant at;
            String by;
            try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass('celery_pgmq.redis_census_runs')"
                            + " IS NOT NULL AND EXISTS (SELECT 1 FROM celery_pgmq.redis_census_runs)");
                    ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || !rs.getBoolean(1)) {
                    return Optional.empty();
                }
            }
            try (PreparedStatement ps =
                            c.prepareStatement("SELECT checked_at, checked_by FROM celery_pgmq.redis_census_runs");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                at = rs.getObject(1, OffsetDateTime.class).toInstant();
                by = rs.getString(2);
            }
            List<TaskCensus.Count> counts = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT queue_name, task_name, waiting, reserved,"
                            + " oldest_identity, oldest_seen_at, lower_bound, capped FROM celery_pgmq.redis_census"
                            + " ORDER BY queue_name, task_name");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    OffsetDateTime seen = rs.getObject(6, OffsetDateTime.class);
                    counts.add(new TaskCensus.Count(
                            rs.getString(1),
                            rs.getString(2),
                            rs.getLong(3),
                            rs.getLong(4),
                            rs.getString(5),
                            seen == null ? null : seen.toInstant(),
                            rs.getBoolean(7),
                            rs.getBoolean(8)));
                }
            }
            return Optional.of(new Stored(new TaskCensus.Result(at, counts), by));
        } catch (SQLException e) {
            throw new LedgerException("reading the Redis census", e);
        }
    }

    private static OffsetDateTime time(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
