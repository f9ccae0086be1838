package io.celerypgmq.rollout;

import io.celerypgmq.bridge.route.PayloadFormat;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Maps {@code celery_pgmq.rollouts} and {@code rollout_events} rows to values and back; the one place for their SQL. */
final class RolloutRows {
    static final String COLUMNS = "id, task_name, steps, hold_ms, shadow_ms, pgmq_queue, shadow_queue, format,"
            + " celery_queue, strict, state, step_index, step_started_at, gate_at, paused_from, hold_left_ms,"
            + " rollback_at, cause, drained, version, started_at, started_by, finished_at";
    static final String UPDATE = "UPDATE celery_pgmq.rollouts SET state = ?, step_index = ?, step_started_at = ?,"
            + " gate_at = ?, paused_from = ?, hold_left_ms = ?, rollback_at = ?, cause = ?, drained = ?,"
            + " finished_at = ?, version = version + 1 WHERE id = ? RETURNING version";
    static final String EVENT = "INSERT INTO celery_pgmq.rollout_events (rollout_id, at, from_state, to_state, step,"
            + " detail, actor, epoch) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

    private RolloutRows() {}

    static Rollout read(ResultSet rs) throws SQLException {
        Integer[] steps = (Integer[]) rs.getArray("steps").getArray();
        RolloutPlan plan = new RolloutPlan(
                rs.getString("task_name"),
                List.of(steps),
                Duration.ofMillis(rs.getLong("hold_ms")),
                Duration.ofMillis(rs.getLong("shadow_ms")),
                rs.getString("pgmq_queue"),
                rs.getString("shadow_queue"),
                PayloadFormat.parse(rs.getString("format")),
                rs.getString("celery_queue"),
                rs.getBoolean("strict"));
        String pausedFrom = rs.getString("paused_from");
        long holdLeft = rs.getLong("hold_left_ms");
        boolean noHoldLeft = rs.wasNull();
        return new Rollout(
                rs.getLong("id"),
                plan,
                RolloutState.parse(rs.getString("state")),
                rs.getInt("step_index"),
                time(rs, "step_started_at"),
                time(rs, "gate_at"),
                pausedFrom == null ? null : RolloutState.parse(pausedFrom),
                noHoldLeft ? null : Duration.ofMillis(holdLeft),
                time(rs, "started_at"),
                time(rs, "rollback_at"),
                rs.getString("cause"),
                rs.getLong("drained"),
                rs.getLong("version"),
                rs.getString("started_by"),
                time(rs, "finished_at"));
    }

    static List<Rollout> query(Connection c, String where, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM celery_pgmq.rollouts " + where)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            List<Rollout> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
            return out;
        }
    }

    /** Writes the moving part of {@code r}; returns the new version. */
    static long update(Connection c, Rollout r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(UPDATE)) {
            ps.setString(1, r.state().label());
            ps.setInt(2, r.stepIndex());
            ps.setObject(3, time(r.stepStartedAt()));
            ps.setObject(4, time(r.gateAt()));
            ps.setString(5, r.pausedFrom() == null ? null : r.pausedFrom().label());
            if (r.holdLeft() == null) {
                ps.setNull(6, Types.BIGINT);
            } else {
                ps.setLong(6, r.holdLeft().toMillis());
            }
            ps.setObject(7, time(r.rollbackAt()));
            ps.setString(8, r.cause());
            ps.setLong(9, r.drained());
            ps.setObject(10, time(r.finishedAt()));
            ps.setLong(11, r.id());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static void event(Connection c, Rollout r, RolloutState from, Instant at, String detail, String actor, Long epoch)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(EVENT)) {
            ps.setLong(1, r.id());
            ps.setObject(2, time(at));
            ps.setString(3, from == null ? null : from.label());
            ps.setString(4, r.state().label());
            ps.setString(5, r.stepText());
            ps.setString(6, detail);
            ps.setString(7, actor);
            if (epoch == null) {
                ps.setNull(8, Types.BIGINT);
            } else {
                ps.setLong(8, epoch);
            }
            ps.executeUpdate();
        }
    }

    static List<RolloutEvent> events(Connection c, long rolloutId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, rollout_id, at, from_state, to_state, step, detail,"
                + " actor, epoch FROM celery_pgmq.rollout_events WHERE rollout_id = ? ORDER BY id")) {
            ps.setLong(1, rolloutId);
            List<RolloutEvent> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String from = rs.getString(4);
                    long epoch = rs.getLong(9);
                    Long e = rs.wasNull() ? null : epoch;
                    out.add(new RolloutEvent(
                            rs.getLong(1),
                            rs.getLong(2),
                            time(rs, "at"),
                            from == null ? null : RolloutState.parse(from),
                            RolloutState.parse(rs.getString(5)),
                            rs.getString(6),
                            rs.getString(7),
                            rs.getString(8),
                            e));
                }
            }
            return out;
        }
    }

    static Array steps(Connection c, List<Integer> steps) throws SQLException {
        return c.createArrayOf("integer", steps.toArray());
    }

    static OffsetDateTime time(Instant i) {
        return i == null ? null : OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }

    static Instant time(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
