package io.celerypgmq.bridge.doctor;

import io.celerypgmq.bridge.ledger.BridgeSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Postgres itself: version, whether it takes writes, and whether our user may create what celery-pgmq needs (its
 * {@code celery_pgmq} schema, pgmq queue tables, pgmq's functions when installing) or only use what exists.
 */
final class PostgresCheck {
    private static final String FACTS = "SELECT current_setting('server_version') AS version, current_user AS who,"
            + " current_database() AS db, pg_is_in_recovery() AS standby,"
            + " current_setting('default_transaction_read_only') = 'on' AS read_only,"
            + " (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser,"
            + " has_database_privilege(current_database(), 'CREATE') AS create_schema,"
            + " to_regnamespace(?) IS NOT NULL AS ours_exists,"
            // CASE, not AND: only CASE promises not to ask about the privileges of a schema that does not exist.
            + " CASE WHEN to_regnamespace(?) IS NULL THEN false ELSE has_schema_privilege(?, 'CREATE') END"
            + " AS ours_create,"
            + " to_regnamespace('pgmq') IS NOT NULL AS pgmq_exists,"
            + " CASE WHEN to_regnamespace('pgmq') IS NULL THEN false ELSE has_schema_privilege('pgmq', 'USAGE') END"
            + " AS pgmq_usage,"
            + " CASE WHEN to_regnamespace('pgmq') IS NULL THEN false ELSE has_schema_privilege('pgmq', 'CREATE') END"
            + " AS pgmq_create";

    private PostgresCheck() {}

    static List<Finding> run(Connection c, String where) throws SQLException {
        List<Finding> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(FACTS)) {
            ps.setString(1, BridgeSchema.SCHEMA);
            ps.setString(2, BridgeSchema.SCHEMA);
            ps.setString(3, BridgeSchema.SCHEMA);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                String who = rs.getString("who");
                out.add(Finding.info(
                        "postgres",
                        where,
                        "PostgreSQL " + rs.getString("version") + " reachable, as user " + who + " on database "
                                + rs.getString("db")));
                if (rs.getBoolean("standby") || rs.getBoolean("read_only")) {
                    out.add(Finding.error(
                            "permissions",
                            where,
                            rs.getBoolean("standby")
                                    ? "this server is a read-only standby: the ledger and pgmq cannot be written"
                                    : "default_transaction_read_only is on: the ledger and pgmq cannot be written",
                            "point database.url at the primary (or ALTER ROLE " + who
                                    + " SET default_transaction_read_only = off)"));
                    return out;
                }
                permissions(rs, who, where, out);
            }
        }
        return out;
    }

    private static void permissions(ResultSet rs, String who, String where, List<Finding> out) throws SQLException {
        boolean superuser = rs.getBoolean("superuser");
        if (superuser) {
            out.add(Finding.info("permissions", where, who + " is a superuser: may create schemas, tables, functions"));
            return;
        }
        boolean oursExists = rs.getBoolean("ours_exists");
        boolean mayCreateOurs = oursExists ? rs.getBoolean("ours_create") : rs.getBoolean("create_schema");
        if (!mayCreateOurs) {
            out.add(Finding.error(
                    "permissions",
                    where,
                    who + " may not create " + (oursExists ? "tables in schema " : "the schema ") + BridgeSchema.SCHEMA
                            + " (ledger, routes, quarantine)",
                    oursExists
                            ? "GRANT USAGE, CREATE ON SCHEMA " + BridgeSchema.SCHEMA + " TO " + who
                            : "GRANT CREATE ON DATABASE <db> TO " + who + ", or have an admin create schema "
                                    + BridgeSchema.SCHEMA + " owned by " + who));
        }
        if (rs.getBoolean("pgmq_exists")) {
            if (!rs.getBoolean("pgmq_usage")) {
                out.add(Finding.error(
                        "permissions",
                        where,
                        who + " may not use schema pgmq: no queue can be read or written",
                        "GRANT USAGE ON SCHEMA pgmq TO " + who + "; GRANT SELECT, INSERT, UPDATE, DELETE ON ALL"
                                + " TABLES IN SCHEMA pgmq TO " + who));
            } else if (!rs.getBoolean("pgmq_create")) {
                out.add(Finding.warning(
                        "permissions",
                        where,
                        who + " may use pgmq's queues but not create new ones (pgmq.create makes tables in"
                                + " schema pgmq)",
                        "GRANT CREATE ON SCHEMA pgmq TO " + who + ", or create every route's queue beforehand"
                                + " as an admin (SELECT pgmq.create('<queue>'))"));
            }
        } else if (!rs.getBoolean("create_schema")) {
            out.add(Finding.error(
                    "permissions",
                    where,
                    who + " may not create schema pgmq, so neither pgmq nor the compatible schema can be installed",
                    "have an admin run CREATE EXTENSION pgmq (pgmq >= 1.5), or GRANT CREATE ON DATABASE <db> TO "
                            + who));
        }
        if (mayCreateOurs) {
            out.add(Finding.info("permissions", where, who + " may create celery-pgmq's tables and functions"));
        }
    }
}
