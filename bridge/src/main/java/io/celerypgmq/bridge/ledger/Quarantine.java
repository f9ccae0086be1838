package io.celerypgmq.bridge.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/** Writes quarantined messages in the caller's transaction; seeing the same message again bumps its count. */
public final class Quarantine {
    private static final String UPSERT = "INSERT INTO celery_pgmq.quarantine (fingerprint, source_key, raw, reason,"
            + " detail) VALUES (?, ?, ?, ?, ?) ON CONFLICT (fingerprint) DO UPDATE SET last_seen = now(),"
            + " seen_count = celery_pgmq.quarantine.seen_count + 1";

    private Quarantine() {}

    public static void record(Connection c, List<QuarantineEntry> entries) throws SQLException {
        if (entries.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
            for (QuarantineEntry e : entries) {
                ps.setString(1, e.fingerprint());
                ps.setString(2, e.sourceKey());
                ps.setBytes(3, e.raw());
                ps.setString(4, e.reason());
                ps.setString(5, e.detail());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
