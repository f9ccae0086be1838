package io.celerypgmq.bridge.ledger;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Writes quarantined messages in the caller's transaction; seeing the same message again bumps its count. Whatever a
 * message or an error holds, the write must not fail on it (DESIGN invariant 8): the bytes go to a {@code bytea}, and
 * every text column is made storable first ({@link #storable}).
 */
public final class Quarantine {
    private static final String UPSERT = "INSERT INTO celery_pgmq.quarantine (fingerprint, source_key, raw, reason,"
            + " detail, identity) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (fingerprint) DO UPDATE SET last_seen = now(),"
            + " seen_count = celery_pgmq.quarantine.seen_count + 1";

    /** Longest text kept in a key column (fingerprint, source, identity): a btree entry must fit in a page. */
    static final int MAX_KEY_CHARS = 500;
    /** Longest error text kept. */
    static final int MAX_DETAIL_CHARS = 2_000;

    private Quarantine() {}

    public static void record(Connection c, List<QuarantineEntry> entries) throws SQLException {
        if (entries.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
            for (QuarantineEntry e : entries) {
                String fingerprint = storable(e.fingerprint(), Integer.MAX_VALUE);
                ps.setString(
                        1,
                        fingerprint.length() <= MAX_KEY_CHARS
                                ? fingerprint
                                : QuarantineEntry.sha256(fingerprint.getBytes(StandardCharsets.UTF_8)));
                ps.setString(2, storable(e.sourceKey(), MAX_KEY_CHARS));
                ps.setBytes(3, e.raw());
                ps.setString(4, storable(e.reason(), MAX_KEY_CHARS));
                ps.setString(5, storable(e.detail(), MAX_DETAIL_CHARS));
                ps.setString(6, e.identity() == null ? null : storable(e.identity(), MAX_KEY_CHARS));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * {@code text} as Postgres can store it: NUL, which no {@code text} value may hold, becomes {@code \0}; an unpaired
     * surrogate becomes U+FFFD; longer text is cut at {@code max} characters with a mark.
     */
    public static String storable(String text, int max) {
        StringBuilder out = null;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char ch = text.charAt(i);
            String replacement = null;
            if (ch == 0) {
                replacement = "\\0";
            } else if (Character.isHighSurrogate(ch)) {
                if (i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                    if (out != null) {
                        out.append(ch).append(text.charAt(i + 1));
                    }
                    i++;
                    continue;
                }
                replacement = "\uFFFD";
            } else if (Character.isLowSurrogate(ch)) {
                replacement = "\uFFFD";
            }
            if (replacement != null && out == null) {
                out = new StringBuilder(n + 8).append(text, 0, i);
            }
            if (out != null) {
                if (replacement != null) {
                    out.append(replacement);
                } else {
                    out.append(ch);
                }
            }
        }
        String clean = out == null ? text : out.toString();
        return clean.length() <= max ? clean : clean.substring(0, max) + "…(cut)";
    }
}
