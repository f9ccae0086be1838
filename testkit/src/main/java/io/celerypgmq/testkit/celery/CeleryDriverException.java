package io.celerypgmq.testkit.celery;

/** A real-Celery process misbehaved: the producer failed, a worker did not start or died, executions did not come. */
public final class CeleryDriverException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CeleryDriverException(String message) {
        super(message);
    }

    public CeleryDriverException(String message, Throwable cause) {
        super(message, cause);
    }
}
