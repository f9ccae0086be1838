package io.celerypgmq.bridge.pgmq;

import java.util.Locale;

/** Which pgmq {@link PgmqInstaller#ensure(javax.sql.DataSource, PgmqPreference)} may settle for. */
public enum PgmqPreference {
    /** The real extension where installed or installable, otherwise our compatible schema. */
    AUTO,
    /** The real extension or a failure: never installs the compatible schema. */
    EXTENSION,
    /** Our compatible schema even where the extension could be created (tests, the demo). */
    COMPAT;

    /** Parses {@code auto}, {@code extension} or {@code compat} (any case); blank or {@code null} mean AUTO. */
    public static PgmqPreference parse(String text) {
        if (text == null || text.isBlank()) {
            return AUTO;
        }
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("pgmq preference must be auto, extension or compat, was '" + text + "'");
        }
    }
}
