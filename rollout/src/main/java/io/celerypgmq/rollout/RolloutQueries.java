package io.celerypgmq.rollout;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Reads rollouts and their events; changes go through {@link RolloutStore}. */
public final class RolloutQueries {
    private final DataSource db;

    public RolloutQueries(DataSource db) {
        this.db = db;
    }

    /** Every rollout not finished yet, oldest first. */
    public List<Rollout> running() {
        return RolloutTx.read(
                db,
                "reading running rollouts",
                c -> RolloutRows.query(c, "WHERE state NOT IN ('rolled_back', 'completed') ORDER BY id"));
    }

    public List<Rollout> recent(int limit) {
        return RolloutTx.read(db, "listing rollouts", c -> RolloutRows.query(c, "ORDER BY id DESC LIMIT ?", limit));
    }

    public Optional<Rollout> find(long id) {
        return RolloutTx.read(db, "reading rollout #" + id, c -> find(c, id, false));
    }

    /** The newest rollout of a task type. */
    public Optional<Rollout> latest(String task) {
        return RolloutTx.read(
                db,
                "reading the rollouts of " + task,
                c -> RolloutRows.query(c, "WHERE task_name = ? ORDER BY id DESC LIMIT 1", task).stream()
                        .findFirst());
    }

    public List<RolloutEvent> events(long id) {
        return RolloutTx.read(db, "reading the events of rollout #" + id, c -> RolloutRows.events(c, id));
    }

    /** One rollout on the caller's connection; {@code lock} takes its row for the caller's transaction. */
    static Optional<Rollout> find(Connection c, long id, boolean lock) throws SQLException {
        return RolloutRows.query(c, "WHERE id = ?" + (lock ? " FOR UPDATE" : ""), id).stream()
                .findFirst();
    }
}
