package io.celerypgmq.rollout;

import io.celerypgmq.bridge.route.Route;
import io.celerypgmq.bridge.route.RouteStore;
import io.celerypgmq.rollout.lease.DriverLease;
import io.celerypgmq.rollout.lease.Fence;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;

/**
 * Rollouts in Postgres. Every move is one transaction that locks the rollout's row, checks it against the transition
 * table, changes the task type's route through the audited route store (so each step is in {@code route history}),
 * writes the new state and an event, and — for the driver — checks its lease fence, so a stale driver cannot act.
 */
public final class RolloutStore {
    private static final String INSERT = "INSERT INTO celery_pgmq.rollouts (task_name, steps, hold_ms, shadow_ms,"
            + " pgmq_queue, shadow_queue, format, celery_queue, strict, state, step_index, step_started_at, gate_at,"
            + " started_at, started_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";

    private final DataSource db;
    private final RouteStore routes;

    public RolloutStore(DataSource db) {
        this.db = db;
        this.routes = new RouteStore(db);
    }

    /**
     * Starts a rollout: records it and sets the first route (shadow, or the first share) in one transaction.
     *
     * @throws RolloutConflictException when the task type already has a running rollout
     */
    public Rollout start(Rollout draft, String by, String reason) {
        try {
            return insert(draft, by, reason);
        } catch (RolloutStoreException e) {
            if (e.getCause() instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                // another start of the same task type committed between our check and our insert
                String task = draft.plan().task();
                new RolloutQueries(db)
                        .running().stream()
                                .filter(r -> r.plan().task().equals(task))
                                .findFirst()
                                .ifPresent(r -> {
                                    throw new RolloutConflictException(task, r);
                                });
            }
            throw e;
        }
    }

    private Rollout insert(Rollout draft, String by, String reason) {
        return RolloutTx.inTransaction(
                db, "starting a rollout of " + draft.plan().task(), c -> {
                    List<Rollout> running = RolloutRows.query(
                            c,
                            "WHERE task_name = ? AND state NOT IN ('rolled_back', 'completed') FOR UPDATE",
                            draft.plan().task());
                    if (!running.isEmpty()) {
                        throw new RolloutConflictException(draft.plan().task(), running.get(0));
                    }
                    long id;
                    RolloutPlan p = draft.plan();
                    try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                        ps.setString(1, p.task());
                        ps.setArray(2, RolloutRows.steps(c, p.steps()));
                        ps.setLong(3, p.hold().toMillis());
                        ps.setLong(4, p.shadow().toMillis());
                        ps.setString(5, p.queue());
                        ps.setString(6, p.shadowQueue());
                        ps.setString(7, p.format().label());
                        ps.setString(8, p.celeryQueue());
                        ps.setBoolean(9, p.strict());
                        ps.setString(10, draft.state().label());
                        ps.setInt(11, draft.stepIndex());
                        ps.setObject(12, RolloutRows.time(draft.stepStartedAt()));
                        ps.setObject(13, RolloutRows.time(draft.gateAt()));
                        ps.setObject(14, RolloutRows.time(draft.startedAt()));
                        ps.setString(15, by);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            id = rs.getLong(1);
                        }
                    }
                    Rollout r = RolloutQueries.find(c, id, false).orElseThrow();
                    Route first = r.routeOf(r.stepIndex());
                    routes.set(c, first, by, reasonFor(r, "started" + (reason == null ? "" : " (" + reason + ")")));
                    RolloutRows.event(
                            c,
                            r,
                            null,
                            draft.startedAt(),
                            "started by " + by + ": " + first.describeMode()
                                    + (reason == null ? "" : " (" + reason + ")"),
                            by,
                            null);
                    return r;
                });
    }

    /**
     * The driver's move from {@code expected} to {@code next}, with an optional route change, if the driver still
     * holds the lease at its fence and nobody moved the rollout since it was read.
     *
     * @return the rollout as written, or empty when it had moved meanwhile (read it again)
     * @throws io.celerypgmq.rollout.lease.LeaseLostException when the fence no longer holds
     */
    public Optional<Rollout> move(Fence fence, Rollout expected, Rollout next, Route route, String detail, Instant at) {
        return move(fence, expected, next, route, detail, detail, at);
    }

    /**
     * As {@link #move(Fence, Rollout, Rollout, Route, String, Instant)}, with a shorter reason for the route history
     * than the event's detail (a GO's full list of measurements stays in the rollout's events).
     */
    public Optional<Rollout> move(
            Fence fence, Rollout expected, Rollout next, Route route, String routeReason, String detail, Instant at) {
        return RolloutTx.inTransaction(db, "moving rollout #" + expected.id(), c -> {
            DriverLease.check(c, fence);
            Rollout current = RolloutQueries.find(c, expected.id(), true).orElseThrow();
            if (current.version() != expected.version()) {
                return Optional.empty();
            }
            String actor = "bridge " + fence.holder();
            return Optional.of(write(c, current, next, route, routeReason, detail, at, actor, fence.epoch()));
        });
    }

    /**
     * An operator's move (pause, resume, abort), applied to the rollout as it is now.
     *
     * @param change the move; throws {@link IllegalRolloutTransitionException} when the state does not allow it
     * @param route the route to set with it, or {@code null}
     */
    public Rollout operate(
            long id, UnaryOperator<Rollout> change, Route route, String actor, String detail, Instant at) {
        return RolloutTx.inTransaction(db, "changing rollout #" + id, c -> {
            Rollout current = RolloutQueries.find(c, id, true)
                    .orElseThrow(() -> new IllegalArgumentException("no rollout #" + id));
            return write(c, current, change.apply(current), route, detail, detail, at, actor, null);
        });
    }

    /** Adds to the count of messages the rollback moved back, with an event, under the driver's fence. */
    public Rollout drained(Fence fence, Rollout r, long moved, String detail, Instant at) {
        return RolloutTx.inTransaction(db, "recording rollout #" + r.id() + "'s rollback", c -> {
            DriverLease.check(c, fence);
            Rollout current = RolloutQueries.find(c, r.id(), true).orElseThrow();
            Rollout next = current.withDrained(current.drained() + moved);
            long version = RolloutRows.update(c, next);
            RolloutRows.event(c, next, current.state(), at, detail, "bridge " + fence.holder(), fence.epoch());
            return RolloutQueries.find(c, r.id(), false)
                    .filter(x -> x.version() == version)
                    .orElseThrow();
        });
    }

    private Rollout write(
            Connection c,
            Rollout current,
            Rollout next,
            Route route,
            String routeReason,
            String detail,
            Instant at,
            String actor,
            Long epoch)
            throws SQLException {
        RolloutTransitions.check(current.id(), current.state(), next.state());
        if (route != null) {
            routes.set(c, route, actor, reasonFor(next, routeReason));
        }
        long version = RolloutRows.update(c, next);
        RolloutRows.event(c, next, current.state(), at, detail, actor, epoch);
        return RolloutQueries.find(c, next.id(), false)
                .filter(r -> r.version() == version)
                .orElseThrow();
    }

    private static String reasonFor(Rollout r, String detail) {
        return "rollout #" + r.id() + " " + r.stepText() + ": " + detail;
    }
}
