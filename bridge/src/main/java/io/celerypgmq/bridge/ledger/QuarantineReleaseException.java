package io.celerypgmq.bridge.ledger;

/** A quarantined message that cannot be released as asked; nothing was sent. The message says what to do instead. */
public final class QuarantineReleaseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public QuarantineReleaseException(String message) {
        super(message);
    }
}
