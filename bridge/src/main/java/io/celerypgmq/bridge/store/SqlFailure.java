package io.celerypgmq.bridge.store;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Locale;

/**
 * What a failed statement says about its cause, read from its SQLState alone: the batch's own data (a value Postgres
 * cannot store, a statement too slow for {@code statement_timeout}), an identity the ledger has already, a table that
 * is gone, or the store itself (connection, server shutting down, out of resources). And a description that is safe to
 * log: the SQLState and the server's primary message, never a parameter value (the pool turns pgjdbc's
 * {@code logServerErrorDetail} off, so no exception text carries the statement's parameters either).
 */
public final class SqlFailure {
    /** The cause, as far as the SQLState tells it. */
    public enum Kind {
        /** {@code 23505}: a key (the ledger's identity) exists already. */
        DUPLICATE,
        /** {@code 42P01}: a table the statement names does not exist (a pgmq queue dropped under the bridge). */
        MISSING_TABLE,
        /**
         * Classes 22 (a value Postgres cannot take: a NUL, bad JSON, an out-of-range number), 54 (a size limit) and
         * {@code 57014} (a statement too slow for {@code statement_timeout}): the data of the batch failed it. An
         * integrity constraint (class 23) is not among them: it says the schema refuses the write, which no single
         * message explains, so the batch stays in flight.
         */
        DATA,
        /** Class 08, 53, 57 (but 57014), 58, or no answer at all: the store, not the batch. */
        STORE,
        /** Anything else (a deadlock, a lock timeout, a bug). */
        OTHER
    }

    private static final int MAX_MESSAGE_CHARS = 200;

    private SqlFailure() {}

    /** The first SQLState along the exception and the ones chained to it (a batch's lies in its next exception). */
    public static String state(SQLException e) {
        for (SQLException s = e; s != null; s = s.getNextException()) {
            if (s.getSQLState() != null) {
                return s.getSQLState();
            }
        }
        Throwable cause = e.getCause();
        return cause instanceof SQLException c && c != e ? state(c) : null;
    }

    public static Kind kind(SQLException e) {
        if (e instanceof SQLTransientConnectionException) {
            return Kind.STORE;
        }
        String state = state(e);
        if (state == null || state.length() < 2) {
            return Kind.STORE;
        }
        if (state.equals("23505")) {
            return Kind.DUPLICATE;
        }
        if (state.equals("42P01")) {
            return Kind.MISSING_TABLE;
        }
        if (state.equals("57014")) {
            return Kind.DATA;
        }
        return switch (state.substring(0, 2)) {
            case "22", "54" -> Kind.DATA;
            case "08", "53", "57", "58" -> Kind.STORE;
            default -> Kind.OTHER;
        };
    }

    /**
     * The quarantine reason for a message whose write failed on its data alone: {@code NUL_NOT_STORABLE} (a NUL
     * character, which neither {@code text} nor {@code jsonb} can hold), {@code STATEMENT_TIMEOUT},
     * {@code VALUE_TOO_LARGE} (a Postgres size limit), else {@code NOT_STORABLE}.
     */
    public static String quarantineReason(SQLException e) {
        String state = state(e);
        String message = primaryMessage(e).toLowerCase(Locale.ROOT);
        if ("57014".equals(state)) {
            return "STATEMENT_TIMEOUT";
        }
        if (message.contains("0x00")
                || message.contains("\\u0000")
                || message.contains("zero bytes")
                || message.contains("unsupported unicode escape")) {
            return "NUL_NOT_STORABLE";
        }
        if (state != null && state.startsWith("54")) {
            return "VALUE_TOO_LARGE";
        }
        return "NOT_STORABLE";
    }

    /** {@code SQLState 22P05: unsupported Unicode escape sequence}: no parameter value, no control character. */
    public static String describe(SQLException e) {
        return "SQLState " + state(e) + ": " + primaryMessage(e);
    }

    private static String primaryMessage(SQLException e) {
        SQLException s = e.getNextException() != null ? e.getNextException() : e;
        String text = s.getMessage() == null ? s.getClass().getSimpleName() : s.getMessage();
        int newline = text.indexOf('\n');
        if (newline >= 0) {
            text = text.substring(0, newline);
        }
        if (text.startsWith("ERROR: ")) {
            text = text.substring("ERROR: ".length());
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_MESSAGE_CHARS));
        for (int i = 0; i < text.length() && out.length() < MAX_MESSAGE_CHARS; i++) {
            char ch = text.charAt(i);
            out.append(Character.isISOControl(ch) ? ' ' : ch);
        }
        return out.toString().strip();
    }
}
