package io.celerypgmq.bridge.pgmq;

import java.util.Locale;

/**
 * A pgmq queue name, normalised and checked before any SQL runs: the one rule for queue names, used alike by
 * {@code route}, the dashboard, the pgmq client, the pumps, replay and the verifier.
 *
 * <p>The rule ({@link #RULE}): 1 to 47 characters of printable ASCII without white space and without pgmq's forbidden
 * {@code $ ; -- '}; upper-case letters are folded to lower case. pgmq lower-cases table names but keeps the name as
 * given in {@code pgmq.meta}, so {@code Tasks} and {@code tasks} would share tables yet be two queues: folding here
 * makes the route, the queue and the tables agree. Non-ASCII is refused rather than folded, because Postgres folds it
 * by the database's locale, not as Java does, and counts identifier bytes, not characters; white space is refused
 * because most pgmq clients (and every shell one-liner) cannot name such a queue. 47 is pgmq's limit: the identifier
 * limit 63 minus the 16 characters of {@code archived_at_idx_}.
 */
public record QueueName(String value) {
    public static final int MAX_LENGTH = 47;

    /** The rule in one sentence, for help texts and error messages. */
    public static final String RULE = "a pgmq queue name has 1 to " + MAX_LENGTH + " printable ASCII characters,"
            + " no white space and none of $ ; -- ' (upper case is folded to lower case)";

    public QueueName {
        value = normalise(value);
    }

    /**
     * The normalised, validated name for {@code raw}: what every part of the tool calls before naming a queue.
     *
     * @throws InvalidQueueNameException naming the rule {@code raw} breaks
     */
    public static QueueName of(String raw) {
        return new QueueName(raw);
    }

    private static String normalise(String raw) {
        if (raw == null || raw.isEmpty()) {
            throw new InvalidQueueNameException(raw, "queue name is empty");
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (Character.isISOControl(c)) {
                throw new InvalidQueueNameException(raw, "queue name contains a control character");
            }
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                throw new InvalidQueueNameException(raw, "queue name contains white space");
            }
            if (c > 0x7e) {
                throw new InvalidQueueNameException(
                        raw,
                        "queue name contains a non-ASCII character (Postgres would fold and count it differently)");
            }
        }
        if (raw.length() > MAX_LENGTH) {
            throw new InvalidQueueNameException(
                    raw, "queue name is too long, maximum length is " + MAX_LENGTH + " characters");
        }
        if (raw.contains("$") || raw.contains(";") || raw.contains("--") || raw.contains("'")) {
            throw new InvalidQueueNameException(raw, "queue name contains invalid characters: $, ;, --, or '");
        }
        return raw.toLowerCase(Locale.ROOT);
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
