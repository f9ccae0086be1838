package io.celerypgmq.bridge.pgmq;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Read-only look at the catalog: which pgmq is installed, and which could be. */
final class PgmqProbe {
    /** The start of {@code COMMENT ON SCHEMA pgmq} in compat-schema.sql; what tells our schema from real pgmq. */
    static final String COMPAT_MARKER = "celery-pgmq compatible schema ";

    private static final Pattern COMPAT_COMMENT = Pattern.compile("celery-pgmq compatible schema (v(\\d+).*)");

    private static final String CATALOG = "SELECT"
            + " (SELECT extversion FROM pg_extension WHERE extname = 'pgmq') AS installed,"
            + " (SELECT default_version FROM pg_available_extensions WHERE name = 'pgmq') AS available,"
            + " (SELECT count(*) FROM pg_namespace WHERE nspname = 'pgmq') AS schemas,"
            + " (SELECT obj_description(oid, 'pg_namespace') FROM pg_namespace WHERE nspname = 'pgmq') AS comment";

    private PgmqProbe() {}

    static PgmqStatus status(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(CATALOG);
                ResultSet rs = statement.executeQuery()) {
            rs.next();
            String installed = rs.getString("installed");
            String available = rs.getString("available");
            boolean schema = rs.getLong("schemas") > 0;
            String comment = rs.getString("comment");
            if (installed != null) {
                return new PgmqStatus(PgmqStatus.Kind.EXTENSION, installed, available);
            }
            if (!schema) {
                return new PgmqStatus(PgmqStatus.Kind.ABSENT, null, available);
            }
            Matcher ours = comment == null ? null : COMPAT_COMMENT.matcher(comment);
            if (ours != null && ours.matches()) {
                return new PgmqStatus(PgmqStatus.Kind.COMPATIBLE_SCHEMA, ours.group(1), available);
            }
            return new PgmqStatus(PgmqStatus.Kind.SQL_INSTALL, "unknown", available);
        }
    }

    /** The version number of our compatible schema ({@code v1 ...} → 1). */
    static int compatVersion(PgmqStatus status) {
        Matcher m = Pattern.compile("v(\\d+).*").matcher(status.version());
        return m.matches() ? Integer.parseInt(m.group(1)) : 0;
    }

    /** A SQL-only install has no version; pgmq 1.5 is the release that added {@code send} with headers. */
    static boolean hasHeadersApi(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                        "SELECT to_regprocedure('pgmq.send(text,jsonb,jsonb,integer)') IS NOT NULL");
                ResultSet rs = statement.executeQuery()) {
            return rs.next() && rs.getBoolean(1);
        }
    }
}
