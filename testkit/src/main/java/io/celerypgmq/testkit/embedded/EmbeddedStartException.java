package io.celerypgmq.testkit.embedded;

/** An embedded server could not be started here; the message says what failed and what the server logged. */
public final class EmbeddedStartException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EmbeddedStartException(String message) {
        super(message);
    }

    public EmbeddedStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
