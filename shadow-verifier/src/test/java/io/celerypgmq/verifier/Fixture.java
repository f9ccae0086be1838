package io.celerypgmq.verifier;

import io.celerypgmq.bridge.ledger.BridgeSchema;
import io.celerypgmq.bridge.pgmq.PgmqClient;
import io.celerypgmq.bridge.pgmq.PgmqInstaller;
import io.celerypgmq.bridge.pgmq.PgmqPreference;
import io.celerypgmq.bridge.pgmq.QueueName;
import io.celerypgmq.verifier.reconcile.DlqConvention;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import javax.sql.DataSource;

/**
 * Writes bridged data the way the bridge and a pgmq consumer leave it, with chosen timestamps: ledger rows, queue
 * rows, archive rows and dead-lettered copies. Direct inserts, so tests know the exact answer.
 */
final class Fixture {
    private final DataSource ds;

    Fixture(DataSource ds) {
        this.ds = ds;
    }

    static Fixture install(DataSource ds) {
        BridgeSchema.install(ds);
        PgmqInstaller.ensure(ds, PgmqPreference.COMPAT);
        return new Fixture(ds);
    }

    PgmqClient pgmq() {
        return new PgmqClient(ds);
    }

    void queue(String name) {
        pgmq().create(QueueName.of(name));
    }

    static String headers(String identity, String task) {
        return "{\"x-celery-identity\":\"" + identity + "\",\"x-celery-task\":\"" + task + "\"}";
    }

    /** A ledger row as the bridge writes it. */
    void ledger(
            String identity,
            String task,
            String route,
            String queue,
            Long msgId,
            Instant eta,
            Instant bridgedAt,
            boolean expired) {
        sql(
                "INSERT INTO celery_pgmq.ledger (identity, task_id, task_name, source_key, route, pgmq_queue,"
                        + " pgmq_msg_id, outcome, eta, bridged_at, instance) VALUES (?, ?, ?, 'celery', ?, ?, ?, ?, ?, ?,"
                        + " 'test')",
                identity,
                "tid-" + identity,
                task,
                route,
                queue,
                msgId,
                expired ? "expired" : "sent",
                eta,
                bridgedAt);
    }

    /** Sends like the bridge (pgmq.send with identity headers) and records the ledger row; returns the msg id. */
    long bridged(String queue, String identity, String task) {
        long id = pgmq().send(
                        QueueName.of(queue),
                        "{\"task\":\"" + task + "\"}",
                        headers(identity, task),
                        io.celerypgmq.bridge.pgmq.Delay.none());
        ledger(identity, task, "pgmq", queue, id, null, Instant.now(), false);
        return id;
    }

    /** A message still in {@code q_<queue>}; returns its msg id. */
    long pending(String queue, String identity, Instant enqueued, Instant vt, int readCt, Instant lastReadAt) {
        return queryLong(
                "INSERT INTO pgmq.\"q_" + queue + "\" (read_ct, enqueued_at, last_read_at, vt, message,"
                        + " headers) VALUES (?, ?, ?, ?, '{}'::jsonb, ?::jsonb) RETURNING msg_id",
                readCt,
                enqueued,
                lastReadAt,
                vt,
                headers(identity, "x"));
    }

    /** A message a consumer archived; returns its msg id. */
    long archived(String queue, String identity, Instant enqueued, int readCt, Instant lastReadAt, Instant archivedAt) {
        long id = nextId(queue);
        sql(
                "INSERT INTO pgmq.\"a_" + queue + "\" (msg_id, read_ct, enqueued_at, last_read_at, archived_at, vt,"
                        + " message, headers) VALUES (?, ?, ?, ?, ?, ?, '{}'::jsonb, ?::jsonb)",
                id,
                readCt,
                enqueued,
                lastReadAt,
                archivedAt,
                enqueued,
                headers(identity, "x"));
        return id;
    }

    /** A dead-lettered copy in {@code <queue>_dlq}, seed style, naming the source msg id; returns the source msg id. */
    long deadLettered(String queue, String identity, Instant at, String error) {
        long source = nextId(queue);
        String dlq = queue + "_dlq";
        queue(dlq);
        sql(
                "INSERT INTO pgmq.\"q_" + dlq + "\" (read_ct, enqueued_at, vt, message, headers)"
                        + " VALUES (0, ?, ?, '{}'::jsonb, ?::jsonb)",
                at,
                at,
                DlqConvention.defaults().headersFor(queue, source, null, error));
        return source;
    }

    long nextId(String queue) {
        return queryLong("SELECT nextval(pg_get_serial_sequence(?, 'msg_id'))", "pgmq.q_" + queue);
    }

    void sql(String sql, Object... params) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            ps.execute();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    long queryLong(String sql, Object... params) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    void script(String sql) {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            if (params[i] instanceof Instant t) {
                SqlTime.set(ps, i + 1, t);
            } else {
                ps.setObject(i + 1, params[i]);
            }
        }
    }
}
