package io.celerypgmq.verifier;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * Installs (idempotently) the verifier's own tables: watch samples, the completion log and its triggers' functions.
 * Reading never needs them: a report without them says what it could not measure.
 */
public final class VerifierSchema {
    /** Serialises concurrent installs (two watchers starting at once). */
    private static final long INSTALL_LOCK = 0x63706d7176657269L;

    private VerifierSchema() {}

    public static void install(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
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

    private static String load() {
        try (InputStream in = VerifierSchema.class.getResourceAsStream("verifier-schema.sql")) {
            if (in == null) {
                throw new IllegalStateException("verifier-schema.sql missing from the shadow-verifier jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
