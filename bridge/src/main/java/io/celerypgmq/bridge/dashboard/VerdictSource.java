package io.celerypgmq.bridge.dashboard;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Where the dashboard finds the verifier's last verdict. Optional: the default shows none. The verifier (or the lead
 * wiring it) either passes its own source, or writes a table {@code celery_pgmq.verdicts (verdict text, decided_at
 * timestamptz, summary text)} that {@link #table} reads when it exists.
 */
@FunctionalInterface
public interface VerdictSource {

    /** One verdict: e.g. {@code PASS}/{@code FAIL}, when it was reached, and a one-line summary. */
    record Verdict(String verdict, Instant decidedAt, String summary) {
        public Verdict {
            Objects.requireNonNull(verdict, "verdict");
            Objects.requireNonNull(decidedAt, "decidedAt");
        }
    }

    Optional<Verdict> latest();

    static VerdictSource none() {
        return Optional::empty;
    }

    /** The newest row of {@code celery_pgmq.verdicts}, or nothing while that table does not exist. */
    static VerdictSource table(DataSource dataSource) {
        return () -> {
            try (Connection c = dataSource.getConnection();
                    PreparedStatement exists =
                            c.prepareStatement("SELECT to_regclass('celery_pgmq.verdicts') IS NOT NULL");
                    ResultSet e = exists.executeQuery()) {
                if (!e.next() || !e.getBoolean(1)) {
                    return Optional.empty();
                }
                try (PreparedStatement ps = c.prepareStatement("SELECT verdict, decided_at, summary"
                                + " FROM celery_pgmq.verdicts ORDER BY decided_at DESC LIMIT 1");
                        ResultSet rs = ps.executeQuery()) {
                    return rs.next()
                            ? Optional.of(new Verdict(
                                    rs.getString(1), rs.getTimestamp(2).toInstant(), rs.getString(3)))
                            : Optional.empty();
                }
            } catch (SQLException ex) {
                throw new IllegalStateException("reading celery_pgmq.verdicts: " + ex.getMessage(), ex);
            }
        };
    }
}
