package io.celerypgmq.bridge.pgmq;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A pgmq queue name, lower-cased and checked before any SQL runs.
 *
 * <p>pgmq lower-cases table names but keeps the name as given in {@code pgmq.meta}, so {@code Tasks} and {@code tasks}
 * would share tables yet be two queues; normalising here avoids that. The limits are pgmq's: at most 47 characters
 * (identifier limit 63 minus the 16-character {@code archived_at_idx_} prefix) and none of {@code $ ; -- '}. We also
 * count UTF-8 bytes, because Postgres truncates identifiers by bytes and two long non-ASCII names would collide.
 */
public record QueueName(String value) {
    public static final int MAX_LENGTH = 47;

    public QueueName {
        value = normalise(value);
    }

    /** The normalised, validated name for {@code raw}. */
    public static QueueName of(String raw) {
        return new QueueName(raw);
    }

    private static String normalise(String raw) {
        if (raw == null || raw.isBlank()) {
            throw new InvalidQueueNameException(raw, "queue name is empty");
        }
        String lower = raw.toLowerCase(Locale.ROOT);
        if (lower.codePointCount(0, lower.length()) > MAX_LENGTH) {
            throw new InvalidQueueNameException(
                    raw, "queue name is too long, maximum length is " + MAX_LENGTH + " characters");
        }
        if (lower.getBytes(StandardCharsets.UTF_8).length > MAX_LENGTH) {
            throw new InvalidQueueNameException(
                    raw, "queue name is longer than " + MAX_LENGTH + " bytes in UTF-8 (Postgres limits table names)");
        }
        if (lower.contains("$") || lower.contains(";") || lower.contains("--") || lower.contains("'")) {
            throw new InvalidQueueNameException(raw, "queue name contains invalid characters: $, ;, --, or '");
        }
        if (lower.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidQueueNameException(raw, "queue name contains a control character");
        }
        return lower;
    }

    /** The queue table, {@code q_<name>}, unquoted. */
    public String queueTable() {
        return "q_" + value;
    }

    /** The archive table, {@code a_<name>}, unquoted. */
    public String archiveTable() {
        return "a_" + value;
    }

    @Override
    public String toString() {
        return value;
    }
}
