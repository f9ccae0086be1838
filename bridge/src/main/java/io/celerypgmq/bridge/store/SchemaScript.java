package io.celerypgmq.bridge.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * One idempotent install script, kept as a resource beside the class that owns its tables, run in one transaction under
 * a transaction-level advisory lock: several instances starting at once install once each, one after the other, and a
 * script that fails halfway leaves nothing behind. The one way every module installs its part of {@code celery_pgmq}.
 */
public final class SchemaScript {
    private final Class<?> owner;
    private final String resource;
    private final long lock;

    /**
     * @param owner the class whose package holds the script (and whose jar must carry it)
     * @param resource the script's name beside {@code owner}
     * @param lock the advisory lock key that serialises concurrent installs of this script
     */
    public SchemaScript(Class<?> owner, String resource, long lock) {
        this.owner = Objects.requireNonNull(owner, "owner");
        this.resource = Objects.requireNonNull(resource, "resource");
        this.lock = lock;
    }

    /** Runs the script; the caller wraps a failure in its own module's exception, saying what it installed. */
    public void install(DataSource db) throws SQLException {
        String sql = text();
        try (Connection c = db.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_xact_lock(" + lock + ")");
                s.execute(sql);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        }
    }

    /** The script's text, read from the owner's jar. */
    public String text() {
        try (InputStream in = owner.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " missing beside " + owner.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
