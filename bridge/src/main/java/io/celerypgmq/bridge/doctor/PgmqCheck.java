package io.celerypgmq.bridge.doctor;

import io.celerypgmq.bridge.pgmq.PgmqStatus;
import io.celerypgmq.bridge.pgmq.PgmqVersion;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/** Which pgmq the database has, and whether celery-pgmq can work with it (pgmq 1.5 or newer). */
final class PgmqCheck {
    private static final String INSTALL = "celery-pgmq pgmq install";

    private PgmqCheck() {}

    static List<Finding> run(PgmqStatus status, Connection c, String where) throws SQLException {
        return switch (status.kind()) {
            case EXTENSION -> extension(status, where);
            case SQL_INSTALL -> hasHeadersApi(c)
                    ? List.of(Finding.info("pgmq", where, status.describe() + ", with the pgmq 1.5 headers API"))
                    : List.of(Finding.error(
                            "pgmq",
                            where,
                            "a pgmq SQL install without send(queue_name, msg, headers, delay): older than 1.5,"
                                    + " which celery-pgmq does not support",
                            "upgrade pgmq to 1.5 or newer (run the newer pgmq.sql, or its upgrade scripts)"));
            case COMPATIBLE_SCHEMA -> List.of(Finding.warning(
                    "pgmq",
                    where,
                    status.describe() + "; fine for trials and the demo, but pgmq's own workers expect real pgmq",
                    status.availableExtension() == null
                            ? "install real pgmq (>= 1.5) on this server for production"
                            : "for production: DROP SCHEMA pgmq CASCADE (moving queues first), then CREATE EXTENSION"
                                    + " pgmq"));
            case ABSENT -> absent(status, where);
        };
    }

    private static List<Finding> extension(PgmqStatus status, String where) {
        if (!parse(status.version()).isAtLeast(PgmqVersion.MINIMUM)) {
            return List.of(Finding.error(
                    "pgmq",
                    where,
                    status.describe() + " is older than " + PgmqVersion.MINIMUM + ", which celery-pgmq does not"
                            + " support (no message headers)",
                    "ALTER EXTENSION pgmq UPDATE (pgmq " + PgmqVersion.MINIMUM + " or newer must be available)"));
        }
        return List.of(Finding.info("pgmq", where, status.describe()));
    }

    private static List<Finding> absent(PgmqStatus status, String where) {
        String available = status.availableExtension();
        if (available != null && !parse(available).isAtLeast(PgmqVersion.MINIMUM)) {
            return List.of(Finding.error(
                    "pgmq",
                    where,
                    "pgmq is not installed, and the extension this server offers (" + available + ") is older than "
                            + PgmqVersion.MINIMUM,
                    "install pgmq " + PgmqVersion.MINIMUM + " or newer on the server, then " + INSTALL));
        }
        return List.of(Finding.warning(
                "pgmq",
                where,
                status.describe(),
                available != null
                        ? INSTALL + " (creates the pgmq " + available + " extension)"
                        : INSTALL + " (installs celery-pgmq's compatible schema; real pgmq >= 1.5 is preferred)"));
    }

    private static PgmqVersion parse(String version) {
        try {
            return PgmqVersion.parse(version);
        } catch (IllegalArgumentException e) {
            return new PgmqVersion(0, 0, 0);
        }
    }

    private static boolean hasHeadersApi(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                        "SELECT to_regprocedure('pgmq.send(text,jsonb,jsonb,integer)') IS NOT NULL");
                ResultSet rs = ps.executeQuery()) {
            return rs.next() && rs.getBoolean(1);
        }
    }
}
