package io.celerypgmq.verifier;

import io.celerypgmq.bridge.store.SchemaScript;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Installs (idempotently) the verifier's own tables: watch samples, the completion log and its triggers' functions.
 * Reading never needs them: a report without them says what it could not measure.
 */
public final class VerifierSchema {
    /** Its tables' script, installs serialised across instances starting at once. */
    private static final SchemaScript SCRIPT =
            new SchemaScript(VerifierSchema.class, "verifier-schema.sql", 0x63706d7176657269L);

    private VerifierSchema() {}

    public static void install(DataSource dataSource) {
        try {
            SCRIPT.install(dataSource);
        } catch (SQLException e) {
            throw new VerificationException("installing the verifier tables in celery_pgmq", e);
        }
    }

    /** Whether {@code celery_pgmq.<table>} exists, on the caller's connection. */
    public static boolean hasTable(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, "celery_pgmq." + table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }
}
