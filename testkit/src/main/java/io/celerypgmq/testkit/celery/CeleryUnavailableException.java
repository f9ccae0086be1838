package io.celerypgmq.testkit.celery;

/** Real Celery cannot be run here (no Python with celery importable); under {@code CI=true} this fails the test. */
public final class CeleryUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CeleryUnavailableException(String message) {
        super(message);
    }
}
