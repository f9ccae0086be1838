package io.celerypgmq.config;

/**
 * A copy of an exception chain for a log line: same classes named, same stack traces, every message masked by
 * {@link Secrets#mask} and kept to one line. A driver's message may quote a connection URL, and a logged stack trace
 * prints every cause's message as it is.
 */
public final class MaskedThrowable extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private static final int MAX_DEPTH = 16;

    private MaskedThrowable(Throwable original, Throwable maskedCause) {
        super(original.getClass().getName() + masked(original.getMessage()), maskedCause, false, true);
        setStackTrace(original.getStackTrace());
    }

    /** The masked copy of {@code error} and its causes; {@code null} stays {@code null}. */
    public static Throwable of(Throwable error) {
        return copy(error, 0);
    }

    private static Throwable copy(Throwable error, int depth) {
        if (error == null || depth >= MAX_DEPTH) {
            return null;
        }
        Throwable cause = error.getCause() == error ? null : error.getCause();
        return new MaskedThrowable(error, copy(cause, depth + 1));
    }

    private static String masked(String message) {
        return message == null ? "" : ": " + OneLine.escape(Secrets.mask(message));
    }

    /** The original class and message, as {@link Throwable#toString()} would have shown them, masked. */
    @Override
    public String toString() {
        return getMessage();
    }
}
