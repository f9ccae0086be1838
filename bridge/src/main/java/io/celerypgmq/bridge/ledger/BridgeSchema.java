package io.celerypgmq.bridge.ledger;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/** Installs (idempotently) the {@code celery_pgmq} schema: ledger, routes and history, quarantine, flow, instances. */
public final class BridgeSchema {
    public static final String SCHEMA = "celery_pgmq";
    /** Serialises concurrent installs by several bridge instances starting at once. */
    private static final long INSTALL_LOCK = 0x63656c6572795067L;

    private BridgeSchema() {}

    public static void install(DataSource dataSource) {
        String sql = load();
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_xact_lock(" + INSTALL_LOCK + ")");
                s.execute(sql);
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new LedgerException("installing the " + SCHEMA + " schema", e);
        }
    }

    private static String load() {
        try (InputStream in = BridgeSchema.class.getResourceAsStream("schema.sql")) {
            if (in == null) {
                throw new IllegalStateException("schema.sql missing from the bridge jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
