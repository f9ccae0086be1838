package io.celerypgmq.cli;

/**
 * A store the command needs cannot be used. The message names the store, its masked address and the cause, and
 * never a password.
 */
public final class CannotStartException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CannotStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
