package io.celerypgmq.bridge.pgmq;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure a database has a pgmq celery-pgmq can use: the real extension where it is installed or can be created,
 * an existing SQL-only pgmq install, or else our pgmq-compatible schema ({@code compat-schema.sql}), which says so.
 */
public final class PgmqInstaller {
    private static final Logger LOG = LoggerFactory.getLogger(PgmqInstaller.class);

    /** The version of compat-schema.sql; raise it with every change to the script so installs upgrade. */
    public static final int COMPAT_SCHEMA_VERSION = 1;

    private static final String SCRIPT = "compat-schema.sql";
    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    private PgmqInstaller() {}

    /** What is installed, without changing anything. */
    public static PgmqStatus status(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return PgmqProbe.status(connection);
        } catch (SQLException e) {
            throw Failures.wrap(e, "status", null);
        }
    }

    /** {@link #ensure(DataSource, PgmqPreference)} with {@link PgmqPreference#AUTO}. */
    public static PgmqStatus ensure(DataSource dataSource) {
        return ensure(dataSource, PgmqPreference.AUTO);
    }

    /**
     * Uses, creates or installs pgmq as {@code preference} allows, and returns what is there afterwards.
     *
     * @throws PgmqVersionException when the pgmq found (or the only one installable) is older than 1.5
     * @throws PgmqException when the preference cannot be met or installing fails
     */
    public static PgmqStatus ensure(DataSource dataSource, PgmqPreference preference) {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(true);
            // Several bridge instances may start at once; only one of them installs.
            execute(connection, "SELECT pg_advisory_lock(hashtext('celery_pgmq.install'))");
            try {
                return ensureLocked(connection, preference);
            } finally {
                execute(connection, "SELECT pg_advisory_unlock(hashtext('celery_pgmq.install'))");
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw Failures.wrap(e, "install", null);
        }
    }

    /** The compatible schema's install script, for {@code celery-pgmq pgmq install --print}. */
    public static String compatSchemaScript() {
        try (InputStream in = PgmqInstaller.class.getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IllegalStateException(SCRIPT + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static PgmqStatus ensureLocked(Connection connection, PgmqPreference preference) throws SQLException {
        PgmqStatus found = PgmqProbe.status(connection);
        switch (found.kind()) {
            case EXTENSION -> {
                refuseIf(preference == PgmqPreference.COMPAT, found, "the compatible schema was asked for");
                return requireSupported(found);
            }
            case SQL_INSTALL -> {
                refuseIf(preference != PgmqPreference.AUTO, found, "the " + preference + " preference");
                if (!PgmqProbe.hasHeadersApi(connection)) {
                    throw new PgmqVersionException("celery-pgmq needs pgmq >= " + PgmqVersion.MINIMUM
                            + ", found a pgmq SQL install (version unknown) without send(queue_name, msg, headers,"
                            + " delay), so older than 1.5");
                }
                return found;
            }
            case COMPATIBLE_SCHEMA -> {
                refuseIf(
                        preference == PgmqPreference.EXTENSION,
                        found,
                        "the real extension was asked for (drop schema pgmq to let it be created)");
                if (PgmqProbe.compatVersion(found) < COMPAT_SCHEMA_VERSION) {
                    installCompatSchema(connection);
                }
                return PgmqProbe.status(connection);
            }
            default -> {
                return installInto(connection, found, preference);
            }
        }
    }

    private static PgmqStatus installInto(Connection connection, PgmqStatus absent, PgmqPreference preference)
            throws SQLException {
        if (preference != PgmqPreference.COMPAT && absent.availableExtension() != null) {
            if (!PgmqVersion.parse(absent.availableExtension()).isAtLeast(PgmqVersion.MINIMUM)) {
                throw new PgmqVersionException("celery-pgmq needs pgmq >= " + PgmqVersion.MINIMUM
                        + ", found pgmq extension " + absent.availableExtension() + " available on this server");
            }
            try {
                execute(connection, "CREATE EXTENSION IF NOT EXISTS pgmq");
                PgmqStatus created = PgmqProbe.status(connection);
                LOG.info("[pgmq] created {}", created.describe());
                return requireSupported(created);
            } catch (SQLException e) {
                if (!INSUFFICIENT_PRIVILEGE.equals(e.getSQLState()) || preference == PgmqPreference.EXTENSION) {
                    throw e;
                }
                LOG.warn(
                        "[pgmq] may not create the pgmq extension ({}); installing the compatible schema",
                        e.getMessage());
            }
        }
        if (preference == PgmqPreference.EXTENSION) {
            throw new PgmqException(
                    "install",
                    null,
                    "pgmq extension asked for, but this server does not offer it: " + absent.describe(),
                    null,
                    null);
        }
        installCompatSchema(connection);
        PgmqStatus installed = PgmqProbe.status(connection);
        LOG.info("[pgmq] installed {}", installed.describe());
        return installed;
    }

    private static void installCompatSchema(Connection connection) throws SQLException {
        connection.setAutoCommit(false);
        try {
            execute(connection, compatSchemaScript());
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    private static PgmqStatus requireSupported(PgmqStatus status) {
        if (!PgmqVersion.parse(status.version()).isAtLeast(PgmqVersion.MINIMUM)) {
            throw new PgmqVersionException(
                    "celery-pgmq needs pgmq >= " + PgmqVersion.MINIMUM + ", found " + status.version());
        }
        return status;
    }

    private static void refuseIf(boolean refuse, PgmqStatus found, String why) {
        if (refuse) {
            throw new PgmqException(
                    "install", null, "found " + found.describe() + ", which does not satisfy " + why, null, null);
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
