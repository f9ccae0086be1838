package io.celerypgmq.replay;

import io.celerypgmq.bridge.ledger.BridgeSchema;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/** Installs (idempotently) the bridge's schema and replay's own tables: job checkpoints and the redrive log. */
public final class ReplaySchema {
    /** Serialises concurrent installs by two replay runs starting at once. */
    private static final long INSTALL_LOCK = 0x7265706c61795367L;

    private ReplaySchema() {}

    public static void install(DataSource db) {
        BridgeSchema.install(db);
        try (Connection c = db.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_xact_lock(" + INSTALL_LOCK + ")");
                s.execute(load());
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new ReplayStoreException("installing the replay tables", e);
        }
    }

    private static String load() {
        try (InputStream in = ReplaySchema.class.getResourceAsStream("schema.sql")) {
            if (in == null) {
                throw new IllegalStateException("schema.sql missing from the replay jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
