package io.celerypgmq.replay;

import io.celerypgmq.bridge.ledger.Ledger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;

/** Read-only questions to the bridge's ledger: whether it exists, which identities it holds, how many messages a job sent. */
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
