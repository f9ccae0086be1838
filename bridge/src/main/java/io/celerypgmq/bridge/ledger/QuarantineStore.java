package io.celerypgmq.bridge.ledger;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Reads {@code celery_pgmq.quarantine} for people, and records releases ({@code celery_pgmq.quarantine_releases}).
 * {@link Quarantine} writes entries; this reads them and, on release, moves a row into the audit trail in the caller's
 * transaction. Every statement is parameterised.
 */
public final class QuarantineStore {
    private static final String COLUMNS = "id, fingerprint, identity, source_key, reason, detail, first_seen,"
            + " last_seen, seen_count, octet_length(raw)";

    private final DataSource dataSource;

    public QuarantineStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Installs the bridge schema and the release audit table (idempotent). */
    public static QuarantineStore install(DataSource dataSource) {
        BridgeSchema.install(dataSource);
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.execute(load());
        } catch (SQLException e) {
            throw new LedgerException("installing celery_pgmq.quarantine_releases", e);
        }
        return new QuarantineStore(dataSource);
    }

    /** What {@link #list} shows: an exact reason (any case), a source key prefix, how many rows; nulls match all. */
    public record Filter(String reason, String sourcePrefix, int limit) {
        public Filter {
            if (limit < 1) {
                throw new IllegalArgumentException("limit must be at least 1, got " + limit);
            }
        }
    }

    /** Quarantined messages, most recently seen first, without their bytes. */
    public List<QuarantinedMessage> list(Filter f) {
        String sql = "SELECT " + COLUMNS + " FROM celery_pgmq.quarantine"
                + " WHERE (?::text IS NULL OR upper(reason) = upper(?::text))"
                + " AND (?::text IS NULL OR starts_with(source_key, ?::text))"
                + " ORDER BY last_seen DESC, id DESC LIMIT ?";
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, f.reason());
            ps.setString(2, f.reason());
            ps.setString(3, f.sourcePrefix());
            ps.setString(4, f.sourcePrefix());
            ps.setInt(5, f.limit());
            List<QuarantinedMessage> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs, null));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new LedgerException("listing quarantined messages", e);
        }
    }

    /** One quarantined message with its bytes. */
    public Optional<QuarantinedMessage> find(long id) {
        try (Connection c = dataSource.getConnection()) {
            return find(c, id, false);
        } catch (SQLException e) {
            throw new LedgerException("reading quarantined message #" + id, e);
        }
    }

    /** The row, locked until the caller's transaction ends, so two releases of it cannot both go through. */
    static Optional<QuarantinedMessage> lock(Connection c, long id) throws SQLException {
        return find(c, id, true);
    }

    private static Optional<QuarantinedMessage> find(Connection c, long id, boolean forUpdate) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + ", raw FROM celery_pgmq.quarantine"
                + " WHERE id = ?" + (forUpdate ? " FOR UPDATE" : ""))) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs, rs.getBytes(11))) : Optional.empty();
            }
        }
    }

    /** When and where an earlier release sent quarantined message {@code id}, if one did. */
    public Optional<Release> releaseOf(long id) {
        return releases(id, 1).stream().findFirst();
    }

    /** The audit trail, newest first. */
    public List<Release> releases(int limit) {
        return releases(null, limit);
    }

    /** One audited release. */
    public record Release(
            long id,
            long quarantineId,
            String reason,
            String sourceKey,
            String destination,
            String newIdentity,
            Long pgmqMsgId,
            String releasedBy,
            String why,
            Instant releasedAt) {}

    private List<Release> releases(Long quarantineId, int limit) {
        String sql = "SELECT id, quarantine_id, reason, source_key, destination, new_identity, pgmq_msg_id,"
                + " released_by, why, released_at FROM celery_pgmq.quarantine_releases"
                + " WHERE (?::bigint IS NULL OR quarantine_id = ?::bigint) ORDER BY id DESC LIMIT ?";
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, quarantineId);
            ps.setObject(2, quarantineId);
            ps.setInt(3, limit);
            List<Release> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long msgId = rs.getLong(7);
                    out.add(new Release(
                            rs.getLong(1),
                            rs.getLong(2),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getString(5),
                            rs.getString(6),
                            rs.wasNull() ? null : msgId,
                            rs.getString(8),
                            rs.getString(9),
                            rs.getTimestamp(10).toInstant()));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new LedgerException("reading quarantine releases", e);
        }
    }

    /**
     * Moves the (locked) row into the audit trail: inserts the release and deletes the quarantine row, in the caller's
     * transaction. Returns the release id.
     */
    static long recordRelease(
            Connection c,
            QuarantinedMessage q,
            ReleaseTarget target,
            byte[] sent,
            String newIdentity,
            Long pgmqMsgId,
            String by,
            String why)
            throws SQLException {
        long releaseId;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO celery_pgmq.quarantine_releases (quarantine_id,"
                + " fingerprint, source_key, reason, detail, raw, first_seen, last_seen, seen_count, destination, sent,"
                + " new_identity, pgmq_msg_id, released_by, why, identity) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                + " ?, ?)"
                + " RETURNING id")) {
            ps.setLong(1, q.id());
            ps.setString(2, q.fingerprint());
            ps.setString(3, q.sourceKey());
            ps.setString(4, q.reason());
            ps.setString(5, q.detail());
            ps.setBytes(6, q.raw());
            ps.setTimestamp(7, Timestamp.from(q.firstSeen()));
            ps.setTimestamp(8, Timestamp.from(q.lastSeen()));
            ps.setInt(9, q.seenCount());
            ps.setString(10, target.toString());
            ps.setBytes(11, sent);
            ps.setString(12, newIdentity);
            ps.setObject(13, pgmqMsgId);
            ps.setString(14, by);
            ps.setString(15, why);
            ps.setString(16, q.identity());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                releaseId = rs.getLong(1);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM celery_pgmq.quarantine WHERE id = ?")) {
            ps.setLong(1, q.id());
            ps.executeUpdate();
        }
        return releaseId;
    }

    private static QuarantinedMessage read(ResultSet rs, byte[] raw) throws SQLException {
        return new QuarantinedMessage(
                rs.getLong(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                rs.getTimestamp(7).toInstant(),
                rs.getTimestamp(8).toInstant(),
                rs.getInt(9),
                rs.getInt(10),
                raw);
    }

    private static String load() {
        try (InputStream in = QuarantineStore.class.getResourceAsStream("quarantine-releases.sql")) {
            if (in == null) {
                throw new IllegalStateException("quarantine-releases.sql missing from the bridge jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
