package io.celerypgmq.bridge.daemon;

import io.celerypgmq.bridge.ledger.LedgerException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Bridge instances announce themselves in {@code celery_pgmq.instances} and beat every few seconds. An instance whose
 * heartbeat is older than the timeout is dead: its in-flight lists are orphans for a survivor to redo.
 */
public final class Heartbeats {
    private final DataSource dataSource;
    private final String instanceId;

    public Heartbeats(DataSource dataSource, String instanceId) {
        this.dataSource = dataSource;
        this.instanceId = instanceId;
    }

    public void register(String host, long pid, String inFlightPrefix) {
        update(
                "INSERT INTO celery_pgmq.instances (instance_id, host, pid, inflight_key) VALUES (?, ?, ?, ?)"
                        + " ON CONFLICT (instance_id) DO UPDATE SET host = excluded.host, pid = excluded.pid,"
                        + " inflight_key = excluded.inflight_key, started_at = now(), heartbeat_at = now()",
                instanceId,
                host,
                pid,
                inFlightPrefix);
    }

    public void beat() {
        update("UPDATE celery_pgmq.instances SET heartbeat_at = now() WHERE instance_id = ?", instanceId);
    }

    public void deregister() {
        update("DELETE FROM celery_pgmq.instances WHERE instance_id = ?", instanceId);
    }

    /** Live instances: heartbeat within {@code timeoutSeconds}. */
    public List<String> live(int timeoutSeconds) {
        return ids(
                "SELECT instance_id FROM celery_pgmq.instances"
                        + " WHERE heartbeat_at > now() - make_interval(secs => ?)",
                timeoutSeconds);
    }

    /** Forgets a dead instance once its in-flight lists have been redone. */
    public void forget(String deadInstance) {
        update("DELETE FROM celery_pgmq.instances WHERE instance_id = ?", deadInstance);
    }

    private List<String> ids(String sql, int seconds) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, seconds);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new LedgerException("reading bridge instances", e);
        }
    }

    private void update(String sql, Object... args) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new LedgerException("updating bridge instance " + instanceId, e);
        }
    }
}
