package io.celerypgmq.bridge.pgmq;

/** The queue's table does not exist: the queue was never created, or has been dropped. */
public final class QueueNotFoundException extends PgmqException {
    public QueueNotFoundException(String operation, QueueName queue, String message, String sqlState, Throwable cause) {
        super(operation, queue, message, sqlState, cause);
    }
}
