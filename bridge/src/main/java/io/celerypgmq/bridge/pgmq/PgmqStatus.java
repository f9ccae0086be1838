package io.celerypgmq.bridge.pgmq;

import java.util.Objects;

/**
 * Which pgmq a database has.
 *
 * @param version the extension's {@code extversion}; {@code unknown} for a SQL-only install; {@code v1 (pgmq API
 *     1.13)} for our compatible schema; {@code null} when absent
 * @param availableExtension the version {@code CREATE EXTENSION pgmq} would install here, or {@code null}
 */
public record PgmqStatus(Kind kind, String version, String availableExtension) {
    public enum Kind {
        /** The real extension ({@code pg_extension} lists it). */
        EXTENSION,
        /** Real pgmq installed by running its SQL file ({@code psql -f pgmq.sql}), so no version is recorded. */
        SQL_INSTALL,
        /** celery-pgmq's own pgmq-compatible schema. */
        COMPATIBLE_SCHEMA,
        /** No schema {@code pgmq} at all. */
        ABSENT
    }

    public PgmqStatus {
        Objects.requireNonNull(kind, "kind");
    }

    /** Real pgmq, as opposed to our compatible schema or nothing. */
    public boolean isRealPgmq() {
        return kind == Kind.EXTENSION || kind == Kind.SQL_INSTALL;
    }

    /** One line for logs, {@code doctor} and reports. */
    public String describe() {
        String available = availableExtension == null ? "" : ", pgmq extension " + availableExtension + " available";
        return switch (kind) {
            case EXTENSION -> "pgmq extension " + version;
            case SQL_INSTALL -> "pgmq SQL install (version unknown)";
            case COMPATIBLE_SCHEMA -> "celery-pgmq compatible schema " + version + ", real pgmq not installed"
                    + available;
            case ABSENT -> "pgmq not installed" + available;
        };
    }
}
