package io.celerypgmq.verifier;

/** Verifying could not be done: a query failed or a table the verifier needs is missing. Names what was attempted. */
public final class VerificationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public VerificationException(String what, Throwable cause) {
        super(what + (cause == null ? "" : ": " + cause.getMessage()), cause);
    }

    public VerificationException(String message) {
        super(message);
    }
}
