package io.celerypgmq.replay;

import io.celerypgmq.bridge.ledger.Ledger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;

/** Read-only questions to the bridge's ledger: which identities are already in pgmq, how many a job sent. */
final class LedgerLookup {
    private final DataSource db;

    LedgerLookup(DataSource db) {
        this.db = db;
    }

    /** Whether the bridge's schema exists (a dry run against a fresh database must not create it). */
    boolean present() {
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT to_regclass('celery_pgmq.ledger') IS NOT NULL");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getBoolean(1);
        } catch (SQLException e) {
            throw new ReplayStoreException("looking for the ledger", e);
        }
    }

    /** The identities among {@code identities} that the ledger already holds. */
    Set<String> existing(List<String> identities) {
        if (identities.isEmpty()) {
            return Set.of();
        }
        try (Connection c = db.getConnection()) {
            return Ledger.existing(c, identities);
        } catch (SQLException e) {
            throw new ReplayStoreException("looking up " + identities.size() + " identities in the ledger", e);
        }
    }

    /** Where the ledger says a message went. */
    record Sent(String identity, String pgmqQueue, Long pgmqMsgId) {}

    /** The ledger rows of the identities among {@code identities} that it already holds. */
    java.util.Map<String, Sent> rows(List<String> identities) {
        if (identities.isEmpty()) {
            return java.util.Map.of();
        }
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT identity, pgmq_queue, pgmq_msg_id FROM"
                        + " celery_pgmq.ledger WHERE identity = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("text", identities.toArray()));
            java.util.Map<String, Sent> out = new java.util.HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(3);
                    out.put(rs.getString(1), new Sent(rs.getString(1), rs.getString(2), rs.wasNull() ? null : id));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new ReplayStoreException("looking up " + identities.size() + " identities in the ledger", e);
        }
    }

    /** Messages the ledger records as sent by {@code instance} (a replay job's instance name), over all its runs. */
    long sentBy(String instance) {
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT count(*) FROM celery_pgmq.ledger WHERE instance = ? AND outcome = 'sent'")) {
            ps.setString(1, instance);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new ReplayStoreException("counting the ledger rows of " + instance, e);
        }
    }
}
