package io.celerypgmq.bridge.route;

import io.celerypgmq.bridge.ledger.LedgerException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Routes in Postgres ({@code celery_pgmq.routes}) with full history. A change is checked against
 * {@link RouteTransitions}, written with a new version number and audited in one transaction; running bridges see the
 * new version through {@link RouteWatcher}.
 */
public final class RouteStore {
    private final DataSource dataSource;

    public RouteStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The current routes as one consistent table. */
    public RouteTable load() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT task_pattern, mode, percent, pgmq_queue, format, version FROM celery_pgmq.routes");
                ResultSet rs = ps.executeQuery()) {
            List<Route> routes = new ArrayList<>();
            long version = 0;
            while (rs.next()) {
                routes.add(read(rs));
                version = Math.max(version, rs.getLong("version"));
            }
            return new RouteTable(routes, version);
        } catch (SQLException e) {
            throw new LedgerException("loading routes", e);
        }
    }

    /** The highest route version; cheap enough to poll every few hundred milliseconds. */
    public long version() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT coalesce(max(version), 0) FROM celery_pgmq.routes");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new LedgerException("reading the route version", e);
        }
    }

    /** {@link #set(Route, String, String, RouteTransitions.ShadowCopies)} knowing nothing of shadow consumers. */
    public RouteChange set(Route route, String changedBy, String reason) {
        return set(route, changedBy, reason, RouteTransitions.ShadowCopies.MAY_BE_RUN);
    }

    /**
     * Sets the route of one task type.
     *
     * @param shadow what the operator states about the consumers of a shadow queue ({@link RouteTransitions})
     * @throws IllegalRouteTransitionException when the change skips a safety step; nothing is written then
     */
    public RouteChange set(Route route, String changedBy, String reason, RouteTransitions.ShadowCopies shadow) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                RouteChange change = set(c, route, changedBy, reason, shadow);
                c.commit();
                return change;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new LedgerException("setting the route of " + route.taskPattern(), e);
        }
    }

    /**
     * Sets the route of one task type inside the caller's transaction, so a change can commit together with what
     * caused it (a rollout step and its fencing check); the caller commits or rolls back.
     *
     * @throws IllegalRouteTransitionException when the change skips a safety step; nothing is written then
     */
    public RouteChange set(Connection tx, Route route, String changedBy, String reason) throws SQLException {
        return set(tx, route, changedBy, reason, RouteTransitions.ShadowCopies.MAY_BE_RUN);
    }

    /**
     * {@link #set(Connection, Route, String, String)} with what the operator states about the consumers of a shadow
     * queue ({@link RouteTransitions}).
     */
    public RouteChange set(
            Connection tx, Route route, String changedBy, String reason, RouteTransitions.ShadowCopies shadow)
            throws SQLException {
        Optional<Route> existing = current(tx, route.taskPattern());
        RouteTransitions.check(existing.orElse(Route.celery(route.taskPattern())), route, shadow);
        upsert(tx, route, changedBy, reason);
        String oldText = existing.map(Route::describeMode).orElse(null);
        return audit(tx, route.taskPattern(), oldText, route.describeMode(), changedBy, reason);
    }

    private static Optional<Route> current(Connection c, String pattern) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT task_pattern, mode, percent, pgmq_queue, format, version"
                + " FROM celery_pgmq.routes WHERE task_pattern = ? FOR UPDATE")) {
            ps.setString(1, pattern);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    private static void upsert(Connection c, Route r, String who, String reason) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO celery_pgmq.routes (task_pattern, mode, percent, pgmq_queue, format, version, updated_by,"
                        + " reason) VALUES (?, ?, ?, ?, ?, nextval('celery_pgmq.route_version_seq'), ?, ?)"
                        + " ON CONFLICT (task_pattern) DO UPDATE SET mode = excluded.mode, percent = excluded.percent,"
                        + " pgmq_queue = excluded.pgmq_queue, format = excluded.format, version = excluded.version,"
                        + " updated_at = now(), updated_by = excluded.updated_by, reason = excluded.reason")) {
            ps.setString(1, r.taskPattern());
            ps.setString(2, r.mode().label());
            ps.setInt(3, r.percent());
            ps.setString(4, r.pgmqQueue());
            ps.setString(5, r.format().label());
            ps.setString(6, who);
            ps.setString(7, reason);
            ps.executeUpdate();
        }
    }

    private static RouteChange audit(Connection c, String pattern, String old, String now, String who, String why)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO celery_pgmq.route_history (task_pattern, old_route, new_route, changed_by, reason)"
                        + " VALUES (?, ?, ?, ?, ?) RETURNING changed_at")) {
            ps.setString(1, pattern);
            ps.setString(2, old);
            ps.setString(3, now);
            ps.setString(4, who);
            ps.setString(5, why);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new RouteChange(pattern, old, now, rs.getTimestamp(1).toInstant(), who, why);
            }
        }
    }

    /** The newest changes first, at most {@code limit}. */
    public List<RouteChange> history(int limit) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT task_pattern, old_route, new_route, changed_at,"
                        + " changed_by, reason FROM celery_pgmq.route_history ORDER BY id DESC LIMIT ?")) {
            ps.setInt(1, limit);
            List<RouteChange> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new RouteChange(
                            rs.getString(1),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getTimestamp(4).toInstant(),
                            rs.getString(5),
                            rs.getString(6)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new LedgerException("reading route history", e);
        }
    }

    private static Route read(ResultSet rs) throws SQLException {
        String pattern = rs.getString("task_pattern");
        try {
            return new Route(
                    pattern,
                    RouteMode.parse(rs.getString("mode")),
                    rs.getInt("percent"),
                    rs.getString("pgmq_queue"),
                    PayloadFormat.parse(rs.getString("format")));
        } catch (IllegalArgumentException e) {
            // A route stored by an older build may name a queue the queue-name rule now refuses.
            throw new IllegalArgumentException(
                    "the stored route of " + pattern + " cannot be used (" + e.getMessage()
                            + "); set it again with: celery-pgmq route set " + pattern + " ...",
                    e);
        }
    }
}
