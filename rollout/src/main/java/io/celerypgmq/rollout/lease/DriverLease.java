package io.celerypgmq.rollout.lease;

import io.celerypgmq.rollout.RolloutStoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.OptionalLong;
import javax.sql.DataSource;

/**
 * The rollout lease ({@code celery_pgmq.rollout_lease}): one row naming the bridge instance that drives rollouts,
 * until when, and at which epoch. Taking, renewing and releasing are single autocommit statements timed by the
 * database's clock, and nothing lives in a session, so it works behind PgBouncer's transaction pooling. Whoever takes
 * the lease after it expired gets a higher epoch: the fencing token {@link #check} compares.
 */
public final class DriverLease {
    static final String NAME = "driver";
    private static final String ACQUIRE = "INSERT INTO celery_pgmq.rollout_lease AS l (name, holder, epoch, expires_at)"
            + " VALUES (?, ?, 1, clock_timestamp() + make_interval(secs => ?)) ON CONFLICT (name) DO UPDATE SET"
            + " holder = excluded.holder, expires_at = excluded.expires_at,"
            + " epoch = CASE WHEN l.holder = excluded.holder AND l.expires_at > clock_timestamp() THEN l.epoch"
            + " ELSE l.epoch + 1 END"
            + " WHERE l.holder = excluded.holder AND l.expires_at > clock_timestamp()"
            + " OR l.expires_at <= clock_timestamp() OR l.holder IS NULL RETURNING epoch";

    /** Who holds the lease, as the status shows it. */
    public record Holder(String holder, long epoch, Instant expiresAt, boolean live) {}

    private final DataSource db;
    private final String holder;
    private final Duration ttl;

    public DriverLease(DataSource db, String holder, Duration ttl) {
        if (ttl.toMillis() < 1000) {
            throw new IllegalArgumentException("a lease lasts at least 1 s, was " + ttl);
        }
        this.db = db;
        this.holder = holder;
        this.ttl = ttl;
    }

    public String holder() {
        return holder;
    }

    /** Takes the lease when it is free or expired, or renews it when this instance holds it; the epoch held. */
    public OptionalLong acquireOrRenew() {
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement(ACQUIRE)) {
            c.setAutoCommit(true);
            ps.setString(1, NAME);
            ps.setString(2, holder);
            ps.setDouble(3, ttl.toMillis() / 1000.0);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        } catch (SQLException e) {
            throw new RolloutStoreException("taking the rollout lease", e);
        }
    }

    /** Lets the lease go at once (a clean stop), so another instance takes over without waiting for it to expire. */
    public void release(long epoch) {
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement("UPDATE celery_pgmq.rollout_lease SET holder = NULL,"
                        + " expires_at = clock_timestamp() WHERE name = ? AND holder = ? AND epoch = ?")) {
            c.setAutoCommit(true);
            ps.setString(1, NAME);
            ps.setString(2, holder);
            ps.setLong(3, epoch);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new RolloutStoreException("releasing the rollout lease", e);
        }
    }

    /**
     * The fencing check, inside the caller's transaction: the lease row still names {@code fence}'s holder and epoch
     * and has not expired. The row stays share-locked until the transaction ends, so no takeover slips in between.
     *
     * @throws LeaseLostException when it does not
     */
    public static void check(Connection tx, Fence fence) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement("SELECT 1 FROM celery_pgmq.rollout_lease WHERE name = ?"
                + " AND holder = ? AND epoch = ? AND expires_at > clock_timestamp() FOR SHARE")) {
            ps.setString(1, NAME);
            ps.setString(2, fence.holder());
            ps.setLong(3, fence.epoch());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new LeaseLostException(fence);
                }
            }
        }
    }

    /** The current holder, if the lease was ever taken. */
    public static Optional<Holder> current(DataSource db) {
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT holder, epoch, expires_at,"
                        + " expires_at > clock_timestamp() FROM celery_pgmq.rollout_lease WHERE name = ?")) {
            ps.setString(1, NAME);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? Optional.of(new Holder(
                                rs.getString(1),
                                rs.getLong(2),
                                rs.getObject(3, OffsetDateTime.class).toInstant(),
                                rs.getBoolean(4) && rs.getString(1) != null))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new RolloutStoreException("reading the rollout lease", e);
        }
    }
}
