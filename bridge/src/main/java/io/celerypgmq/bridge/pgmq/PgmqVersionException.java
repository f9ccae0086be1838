package io.celerypgmq.bridge.pgmq;

/** The pgmq found in the database is too old for celery-pgmq, or for the function that was called. */
public final class PgmqVersionException extends PgmqException {
    public PgmqVersionException(String operation, QueueName queue, String message, String sqlState, Throwable cause) {
        super(operation, queue, message, sqlState, cause);
    }

    public PgmqVersionException(String message) {
        this("install", null, message, null, null);
    }
}
