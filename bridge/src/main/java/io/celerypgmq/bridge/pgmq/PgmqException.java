package io.celerypgmq.bridge.pgmq;

/**
 * A pgmq call failed. Carries the operation and queue so a log line says what was attempted; the driver's message is
 * passed through {@link io.celerypgmq.config.Secrets#mask} because it can quote connection strings.
 */
public class PgmqException extends RuntimeException {
    private final String operation;
    private final String queue;
    private final String sqlState;

    public PgmqException(String operation, QueueName queue, String message, String sqlState, Throwable cause) {
        super(message, cause);
        this.operation = operation;
        this.queue = queue == null ? null : queue.value();
        this.sqlState = sqlState;
    }

    /** The pgmq function that was called, e.g. {@code send_batch}. */
    public String operation() {
        return operation;
    }

    /** The queue it was called for, or {@code null} for calls that name none. */
    public String queue() {
        return queue;
    }

    /** The Postgres SQLSTATE, or {@code null} when the failure did not come from the server. */
    public String sqlState() {
        return sqlState;
    }
}
