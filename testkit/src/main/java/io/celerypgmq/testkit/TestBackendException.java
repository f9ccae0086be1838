package io.celerypgmq.testkit;

/** A test backend was chosen but an operation on it (connect, create database, lease an index) failed. */
public final class TestBackendException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TestBackendException(String message) {
        super(message);
    }

    public TestBackendException(String message, Throwable cause) {
        super(message, cause);
    }
}
