package io.celerypgmq.testkit;

/** No backend of a kind could be had; the message lists every choice tried and why it failed. */
public final class NoTestBackendException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NoTestBackendException(String message) {
        super(message);
    }
}
