package io.celerypgmq.rollout;

import io.celerypgmq.bridge.ledger.BridgeSchema;
import io.celerypgmq.bridge.status.CensusStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/** Installs (idempotently) the bridge's schema, the Redis census table and the rollout tables. */
public final class RolloutSchema {
    /** Serialises concurrent installs by several bridge instances starting at once. */
    private static final long INSTALL_LOCK = 0x726f6c6c6f757453L;

    private RolloutSchema() {}

    public static void install(DataSource db) {
        BridgeSchema.install(db);
        new CensusStore(db).install();
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_xact_lock(" + INSTALL_LOCK + ")");
                s.execute(load());
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new RolloutStoreException("installing the rollout tables", e);
        }
    }

    private static String load() {
        try (InputStream in = RolloutSchema.class.getResourceAsStream("rollout-schema.sql")) {
            if (in == null) {
                throw new IllegalStateException("rollout-schema.sql missing from the rollout jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
